// Runs the tensor-device kernels of kernels.cu (fill, convert, copy_walk, binary_walk, select_walk,
// gather, scatter_add) on the host, one thread doing every element: the CUDA C is compiled as C++
// with the stand-ins below for CUDA's built-ins. It checks the index arithmetic against
// independent references (an odometer walk for the strided kernels), not the GPU's floating point.
// KernelsOnHostTest compiles and runs it when g++ is on the path, twice: without __CUDA_ARCH__
// (scatter_add's compare-and-swap loop for F64) and with -D__CUDA_ARCH__=900 (atomicAdd).
// By hand: g++ -std=c++17 -I ../../main/resources/dev/hyperkron/gpu kernels_on_host.cpp && ./a.out
// CUDA's built-ins as one host thread sees them: block 0, thread 0 of a one-thread grid.
#include <cmath>
#include <cstring>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
#define __device__
#define __global__
#define __forceinline__ inline
#define __shared__
struct hk_dim { unsigned x; };
static hk_dim blockIdx{0}, threadIdx{0}, blockDim{1}, gridDim{1};
inline double __longlong_as_double(long long v) { double d; memcpy(&d, &v, 8); return d; }
inline long long __double_as_longlong(double d) { long long v; memcpy(&v, &d, 8); return v; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline void __syncthreads() {}
inline float atomicAdd(float* p, float v) { float o = *p; *p = o + v; return o; }
#ifdef __CUDA_ARCH__
inline double atomicAdd(double* p, double v) { double o = *p; *p = o + v; return o; }
#endif
inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long cmp, unsigned long long v) {
    unsigned long long o = *p; if (o == cmp) *p = v; return o;
}
using std::signbit; using std::isinf; using std::exp; using std::log; using std::log1p; using std::tanh;
using std::sqrt; using std::fabs; using std::pow;

#include "kernels.cu"

double hk_shared[1024];
static std::mt19937 rng(42);
static int bad = 0;
#define CHECK(c, ...) do { if (!(c)) { if (bad++ < 10) { printf(__VA_ARGS__); printf("\n"); } } } while (0)

// odometer reference: visit every element in row-major order, positions by increments
static void odometer(const Walk& w, int ops, std::vector<std::vector<long>>& pos) {
    long n = 1; for (int i = 0; i < w.rank; i++) n *= w.dims[i];
    std::vector<int> idx(w.rank, 0);
    std::vector<long> p(ops); for (int k = 0; k < ops; k++) p[k] = w.offsets[k];
    for (long e = 0; e < n; e++) {
        for (int k = 0; k < ops; k++) pos[k].push_back(p[k]);
        for (int i = w.rank - 1; i >= 0; i--) {
            idx[i]++; for (int k = 0; k < ops; k++) p[k] += w.strides[k][i];
            if (idx[i] < w.dims[i]) break;
            for (int k = 0; k < ops; k++) p[k] -= (long) w.strides[k][i] * w.dims[i];
            idx[i] = 0;
        }
    }
}

static Walk randomWalk(int ops, long& n, std::vector<long>& extent) {
    Walk w; memset(&w, 0, sizeof w);
    w.rank = 1 + rng() % 8; n = 1;
    for (int i = 0; i < w.rank; i++) { w.dims[i] = 1 + rng() % 3; n *= w.dims[i]; }
    extent.assign(ops, 0);
    for (int k = 0; k < ops; k++) {
        long lo = 0, hi = 0;
        for (int i = 0; i < w.rank; i++) {
            w.strides[k][i] = (rng() % 4 == 0) ? 0 : (int) (rng() % 21) - 10;
            long r = (long) (w.dims[i] - 1) * w.strides[k][i];
            if (r < 0) lo += r; else hi += r;
        }
        w.offsets[k] = (int) -lo + rng() % 5;
        extent[k] = w.offsets[k] + hi + 1;
    }
    return w;
}

template <typename T> void run() {
    for (int trial = 0; trial < 2000; trial++) {
        long n; std::vector<long> ext;
        // copy
        Walk w = randomWalk(2, n, ext);
        std::vector<std::vector<long>> pos(4);
        odometer(w, 2, pos);
        std::vector<T> src(ext[0]), dst(ext[1], (T) -7);
        for (auto& v : src) v = (T) (rng() % 1000) / 8;
        std::vector<T> want = dst;
        for (long e = 0; e < n; e++) want[pos[1][e]] = src[pos[0][e]];
        copy_walk_body<T>(w, src.data(), dst.data(), n);
        CHECK(dst == want, "copy_walk mismatch rank %d", w.rank);
        // binary (op = SUB) and select
        for (int ops = 3; ops <= 4; ops++) {
            Walk b = randomWalk(ops, n, ext);
            std::vector<std::vector<long>> p(4);
            odometer(b, ops, p);
            std::vector<std::vector<T>> arr(ops);
            for (int k = 0; k < ops; k++) { arr[k].resize(ext[k]); for (auto& v : arr[k]) v = (T) ((int) (rng() % 7) - 3); }
            std::vector<T> out = arr[ops - 1], expect = arr[ops - 1];
            for (long e = 0; e < n; e++) {
                if (ops == 3) expect[p[2][e]] = arr[0][p[0][e]] - arr[1][p[1][e]];
                else expect[p[3][e]] = arr[0][p[0][e]] != 0 ? arr[1][p[1][e]] : arr[2][p[2][e]];
            }
            if (ops == 3) binary_walk_body<T>(1, b, arr[0].data(), arr[1].data(), out.data(), n);
            else select_walk_body<T>(b, arr[0].data(), arr[1].data(), arr[2].data(), out.data(), n);
            CHECK(out == expect, "%s mismatch rank %d", ops == 3 ? "binary_walk" : "select_walk", b.rank);
        }
    }
    // gather, scatter_add, fill
    std::vector<T> src(50), dst(20, 0), g(30);
    for (int i = 0; i < 50; i++) src[i] = (T) i / 4;
    std::vector<int> positions(30);
    for (auto& p : positions) p = rng() % 20;
    gather_body<T>(src.data(), positions.data(), g.data(), 30);
    for (int i = 0; i < 30; i++) CHECK(g[i] == src[positions[i]], "gather %d", i);
    std::vector<T> want(20, 0);
    for (int i = 0; i < 30; i++) want[positions[i]] += src[i];
    scatter_add_body<T>(src.data(), positions.data(), dst.data(), 30);
    CHECK(dst == want, "scatter_add");
    fill_body<T>(dst.data() + 3, (T) 2.5, 10);
    for (int i = 0; i < 20; i++) CHECK(dst[i] == (i >= 3 && i < 13 ? (T) 2.5 : want[i]), "fill %d", i);
}

int main() {
    run<float>(); run<double>();
    double d[3] = {1.0 / 3, -1e300, 0.1}; float f[3];
    convert_f64_f32(d, f, 3);
    for (int i = 0; i < 3; i++) CHECK(f[i] == (float) d[i], "convert %d", i);
    double back[3]; convert_f32_f64(f, back, 3);
    for (int i = 0; i < 3; i++) CHECK(back[i] == (double) f[i], "convert back %d", i);
    printf("%s (%d failures)\n", bad ? "FAILED" : "all kernels match", bad);
    return bad != 0;
}
