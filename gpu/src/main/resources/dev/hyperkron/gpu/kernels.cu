// Hyperkron's elementwise, reduction and convolution-helper kernels. NVRTC compiles this file at
// run time (CudaModule) with -fmad=false, so products and sums round as the Java kernels do.
// Every kernel exists for float (suffix _f32) and double (_f64). Elementwise functions are
// evaluated in double and rounded once to the storage type: for + - * / and sqrt that is the
// correctly rounded float result (double has more than 2p+2 bits), matching the Java definitions
// in UnaryOp.apply / BinaryOp.apply. Op numbers are the Java enums' ordinals.

typedef long long i64;

// No headers under NVRTC: the constants math.h would give.
#define HK_INF __longlong_as_double(0x7ff0000000000000LL)

// ---------------------------------------------------------------- Java semantics of max/min/pow/signum

__device__ __forceinline__ double jmax(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return (a == 0.0 && signbit(a)) ? b : a;  // max(-0, +0) = +0
    return a > b ? a : b;
}

__device__ __forceinline__ double jmin(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return (a == 0.0 && !signbit(a)) ? b : a;  // min(+0, -0) = -0
    return a < b ? a : b;
}

__device__ __forceinline__ double jpow(double a, double b) {
    if (b == 0.0) return 1.0;                    // Java: x^0 = 1, NaN included
    if (a != a || b != b) return __longlong_as_double(0x7ff8000000000000LL);
    if (fabs(a) == 1.0 && isinf(b)) return __longlong_as_double(0x7ff8000000000000LL);  // Java: (+-1)^inf = NaN
    return pow(a, b);
}

__device__ __forceinline__ double jsignum(double x) {
    return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : x);
}

// ---------------------------------------------------------------- erf and GELU, as core's SpecialFunctions

#define HK_TWO_OVER_SQRT_PI 1.1283791670955126
#define HK_ONE_OVER_SQRT_PI 0.5641895835477563
#define HK_SQRT_HALF 0.7071067811865476

__device__ double hk_exp_minus_square(double x) {
    double hi = __longlong_as_double(__double_as_longlong(x) & (i64) 0xFFFFFFFFF8000000ULL);
    double lo = x - hi;
    return exp(-hi * hi) * exp(-lo * (x + hi));
}

__device__ double hk_erf_series(double x) {
    double x2 = x * x;
    double term = x;
    double sum = x;
    double compensation = 0.0;
    for (int n = 1; n < 200; n++) {
        term *= 2.0 * x2 / (2 * n + 1);
        double y = term - compensation;
        double t = sum + y;
        compensation = (t - sum) - y;
        sum = t;
        if (term < sum * 1e-17) break;
    }
    return HK_TWO_OVER_SQRT_PI * hk_exp_minus_square(x) * sum;
}

__device__ double hk_erfc_continued_fraction(double x) {
    const double tiny = 1e-300;
    double f = x, c = x, d = 0.0;
    for (int k = 1; k < 500; k++) {
        double a = k * 0.5;
        d = x + a * d;
        d = d == 0.0 ? tiny : d;
        c = x + a / c;
        c = c == 0.0 ? tiny : c;
        d = 1.0 / d;
        double delta = c * d;
        f *= delta;
        if (fabs(delta - 1.0) < 1e-16) break;
    }
    return HK_ONE_OVER_SQRT_PI * hk_exp_minus_square(x) / f;
}

__device__ double hk_erf(double x) {
    if (x != x) return x;
    if (isinf(x)) return x > 0 ? 1.0 : -1.0;
    double ax = fabs(x);
    double r = ax < 1.5 ? hk_erf_series(ax) : 1.0 - hk_erfc_continued_fraction(ax);
    return x < 0 ? -r : r;
}

__device__ double hk_normal_cdf(double x) {
    if (x < -1.5 * 1.4142135623730951) return 0.5 * hk_erfc_continued_fraction(-x * HK_SQRT_HALF);
    return 0.5 * (1.0 + hk_erf(x * HK_SQRT_HALF));
}

__device__ double unary_op(int op, double x) {
    switch (op) {
        case 0: return -x;
        case 1: return fabs(x);
        case 2: return jsignum(x);
        case 3: return x * x;
        case 4: return sqrt(x);
        case 5: return 1.0 / x;
        case 6: return exp(x);
        case 7: return log(x);
        case 8: return tanh(x);
        case 9: return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
        case 10: return jmax(x, 0.0);
        case 11: return x > 0 ? 1.0 : 0.0;
        case 12: return jmax(x, 0.0) + log1p(exp(-fabs(x)));
        case 13: return hk_erf(x);
        case 14: return x == -HK_INF ? 0.0 : x * hk_normal_cdf(x);
        default: return __longlong_as_double(0x7ff8000000000000LL);
    }
}

__device__ double binary_op(int op, double a, double b) {
    switch (op) {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        case 3: return a / b;
        case 4: return jpow(a, b);
        case 5: return jmax(a, b);
        case 6: return jmin(a, b);
        case 7: return a == b ? 1.0 : 0.0;
        case 8: return a != b ? 1.0 : 0.0;
        case 9: return a < b ? 1.0 : 0.0;
        case 10: return a <= b ? 1.0 : 0.0;
        case 11: return a > b ? 1.0 : 0.0;
        case 12: return a >= b ? 1.0 : 0.0;
        default: return __longlong_as_double(0x7ff8000000000000LL);
    }
}

__device__ __forceinline__ double reduce_identity(int op) {
    return op == 0 ? 0.0 : (op == 1 ? -HK_INF : HK_INF);
}

__device__ __forceinline__ double reduce_combine(int op, double acc, double x) {
    return op == 0 ? acc + x : (op == 1 ? jmax(acc, x) : jmin(acc, x));
}

// Storage-precision arithmetic, never contracted to FMA, for the kernels the Java code does in the storage type.
__device__ __forceinline__ float add_rn(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ double add_rn(double a, double b) { return __dadd_rn(a, b); }
__device__ __forceinline__ float mul_rn(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ double mul_rn(double a, double b) { return __dmul_rn(a, b); }

// Dynamic shared memory of the block reductions: blockDim.x doubles.
extern __shared__ double hk_shared[];

#define GRID_STRIDE(i, n) for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64) blockDim.x * gridDim.x)

// ---------------------------------------------------------------- generic bodies

template <typename T>
__device__ void unary_body(int op, const T* x, T* out, i64 n) {
    GRID_STRIDE(i, n) { out[i] = (T) unary_op(op, (double) x[i]); }
}

// The element definitions of binary and select, shared by the increment kernels and the strided walks.
template <typename T>
__device__ __forceinline__ T binary_value(int op, T a, T b) { return (T) binary_op(op, (double) a, (double) b); }

template <typename T>
__device__ __forceinline__ T select_value(T c, T a, T b) { return c != (T) 0 ? a : b; }

template <typename T>
__device__ void binary_body(int op, const T* a, int aInc, const T* b, int bInc, T* out, i64 n) {
    GRID_STRIDE(i, n) { out[i] = binary_value<T>(op, a[i * aInc], b[i * bInc]); }
}

template <typename T>
__device__ void select_body(const T* c, int cInc, const T* a, int aInc, const T* b, int bInc, T* out, i64 n) {
    GRID_STRIDE(i, n) { out[i] = select_value<T>(c[i * cInc], a[i * aInc], b[i * bInc]); }
}

template <typename T>
__device__ void axpy_body(T alpha, const T* x, T* y, i64 n) {
    GRID_STRIDE(i, n) { y[i] = add_rn(y[i], mul_rn(alpha, x[i])); }
}

template <typename T>
__device__ void scale_body(T alpha, T* x, i64 n) {
    GRID_STRIDE(i, n) { x[i] = mul_rn(x[i], alpha); }
}

// One thread per output of [outer, inner]: good when there are many outputs (inner > 1, or many rows).
template <typename T>
__device__ void reduce_columns_body(int op, const T* x, int outer, int len, int inner, T* out) {
    GRID_STRIDE(j, (i64) outer * inner) {
        i64 o = j / inner, i = j % inner;
        const T* base = x + o * (i64) len * inner + i;
        double acc = reduce_identity(op);
        for (int r = 0; r < len; r++) acc = reduce_combine(op, acc, (double) base[(i64) r * inner]);
        out[j] = (T) acc;
    }
}

// Combines the blockDim.x values of hk_shared[] into hk_shared[0] (blockDim.x a power of two).
__device__ void block_combine(int op, double* values) {
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        __syncthreads();
        if (threadIdx.x < s) values[threadIdx.x] = reduce_combine(op, values[threadIdx.x], values[threadIdx.x + s]);
    }
    __syncthreads();
}

// One block per row (inner == 1): long contiguous rows, few of them.
template <typename T>
__device__ void reduce_rows_body(int op, const T* x, int len, T* out) {
    const T* row = x + (i64) blockIdx.x * len;
    double acc = reduce_identity(op);
    for (int r = threadIdx.x; r < len; r += blockDim.x) acc = reduce_combine(op, acc, (double) row[r]);
    hk_shared[threadIdx.x] = acc;
    block_combine(op, hk_shared);
    if (threadIdx.x == 0) out[blockIdx.x] = (T) hk_shared[0];
}

// Per-block partial sums of a[i] * b[i] in double.
template <typename T>
__device__ void dot_partials_body(const T* a, const T* b, i64 n, double* partials) {
    double acc = 0.0;
    GRID_STRIDE(i, n) { acc += (double) a[i] * (double) b[i]; }
    hk_shared[threadIdx.x] = acc;
    block_combine(0, hk_shared);
    if (threadIdx.x == 0) partials[blockIdx.x] = hk_shared[0];
}

// One block: result[0] = the sum of count partial sums, rounded once to T.
template <typename T>
__device__ void sum_partials_body(const double* partials, int count, T* result) {
    double acc = 0.0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) acc += partials[i];
    hk_shared[threadIdx.x] = acc;
    block_combine(0, hk_shared);
    if (threadIdx.x == 0) result[0] = (T) hk_shared[0];
}

// C = alpha * (empty product) + beta * C, as the Java kernels round it (k = 0: cuBLAS is not asked).
template <typename T>
__device__ void gemm_empty_body(int m, int n, double alpha, double beta, T* c, int ldc) {
    GRID_STRIDE(j, (i64) m * n) {
        T* at = c + (j / n) * (i64) ldc + j % n;
        double scaled = (T) (alpha * 0.0);
        *at = beta == 0.0 ? (T) scaled : (T) (scaled + beta * (double) *at);
    }
}

// Zeros the strict upper triangle of a row-major n x n matrix (a Cholesky factor from cuSOLVER).
template <typename T>
__device__ void zero_upper_body(T* a, int n) {
    GRID_STRIDE(j, (i64) n * n) {
        if (j % n > j / n) a[j] = (T) 0;
    }
}

struct Geometry { int kh, kw, sh, sw, ph, pw, dh, dw, outH, outW; };

template <typename T>
__device__ void im2col_body(const T* x, int channels, int height, int width, Geometry g, T* cols) {
    i64 total = (i64) channels * g.kh * g.kw * g.outH * g.outW;
    GRID_STRIDE(j, total) {
        int ox = (int) (j % g.outW);
        int oy = (int) ((j / g.outW) % g.outH);
        i64 row = j / ((i64) g.outW * g.outH);
        int kj = (int) (row % g.kw);
        int ki = (int) ((row / g.kw) % g.kh);
        int c = (int) (row / ((i64) g.kw * g.kh));
        int iy = oy * g.sh - g.ph + ki * g.dh;
        int ix = ox * g.sw - g.pw + kj * g.dw;
        cols[j] = (iy >= 0 && iy < height && ix >= 0 && ix < width) ? x[((i64) c * height + iy) * width + ix] : (T) 0;
    }
}

// One thread per pixel, gathering its taps in the order the Java kernels add them (no atomics).
template <typename T>
__device__ void col2im_body(const T* cols, int channels, int height, int width, Geometry g, T* x) {
    GRID_STRIDE(p, (i64) channels * height * width) {
        int ix = (int) (p % width);
        int iy = (int) ((p / width) % height);
        int c = (int) (p / ((i64) width * height));
        T acc = x[p];
        for (int ki = 0; ki < g.kh; ki++) {
            int ty = iy + g.ph - ki * g.dh;
            if (ty < 0 || ty % g.sh != 0 || ty / g.sh >= g.outH) continue;
            int oy = ty / g.sh;
            for (int kj = 0; kj < g.kw; kj++) {
                int tx = ix + g.pw - kj * g.dw;
                if (tx < 0 || tx % g.sw != 0 || tx / g.sw >= g.outW) continue;
                int ox = tx / g.sw;
                i64 row = ((i64) c * g.kh + ki) * g.kw + kj;
                acc = add_rn(acc, cols[(row * g.outH + oy) * g.outW + ox]);
            }
        }
        x[p] = acc;
    }
}

template <typename T>
__device__ void max_pool_indices_body(const T* x, int planes, int height, int width, Geometry g, i64* out) {
    GRID_STRIDE(j, (i64) planes * g.outH * g.outW) {
        int ox = (int) (j % g.outW);
        int oy = (int) ((j / g.outW) % g.outH);
        i64 plane = j / ((i64) g.outW * g.outH);
        const T* image = x + plane * height * width;
        T best = 0;
        i64 bestIndex = -1;
        for (int ki = 0; ki < g.kh; ki++) {
            int iy = oy * g.sh - g.ph + ki * g.dh;
            if (iy < 0 || iy >= height) continue;
            for (int kj = 0; kj < g.kw; kj++) {
                int ix = ox * g.sw - g.pw + kj * g.dw;
                if (ix < 0 || ix >= width) continue;
                T v = image[(i64) iy * width + ix];
                if (bestIndex < 0 || (best == best && (v != v || v > best))) {
                    best = v;
                    bestIndex = (i64) iy * width + ix;
                }
            }
        }
        out[j] = bestIndex;
    }
}

// ---------------------------------------------------------------- device-resident tensors (CudaTensorDevice)

// core's Strided walk, passed by value: dims, then per operand (inputs, then the output) the element
// strides (0 repeats an element) and the start offset. Java builds it from StridedWalk.LAYOUT, which a
// test compares with this declaration: ints only, in this order. Unused axes and operands are zero.
#define HK_WALK_RANK 8
#define HK_WALK_OPERANDS 4
struct Walk {
    int rank;
    int dims[HK_WALK_RANK];
    int strides[HK_WALK_OPERANDS][HK_WALK_RANK];
    int offsets[HK_WALK_OPERANDS];
};

// The positions in the first N operands of the element with row-major index flat (Strided.position).
template <int N>
__device__ __forceinline__ void walk_positions(const Walk& w, i64 flat, i64* pos) {
#pragma unroll
    for (int k = 0; k < N; k++) pos[k] = w.offsets[k];
    for (int i = w.rank - 1; i >= 0; i--) {
        i64 d = w.dims[i];
        i64 index = flat % d;
        flat /= d;
#pragma unroll
        for (int k = 0; k < N; k++) pos[k] += index * w.strides[k][i];
    }
}

template <typename T>
__device__ void fill_body(T* x, T value, i64 n) {
    GRID_STRIDE(i, n) { x[i] = value; }
}

template <typename S, typename D>
__device__ void convert_body(const S* src, D* dst, i64 n) {
    GRID_STRIDE(i, n) { dst[i] = (D) src[i]; }  // double -> float rounds to nearest even, as Java's (float)
}

template <typename T>
__device__ void copy_walk_body(Walk w, const T* src, T* dst, i64 n) {
    GRID_STRIDE(i, n) {
        i64 p[2];
        walk_positions<2>(w, i, p);
        dst[p[1]] = src[p[0]];
    }
}

template <typename T>
__device__ void binary_walk_body(int op, Walk w, const T* a, const T* b, T* out, i64 n) {
    GRID_STRIDE(i, n) {
        i64 p[3];
        walk_positions<3>(w, i, p);
        out[p[2]] = binary_value<T>(op, a[p[0]], b[p[1]]);
    }
}

template <typename T>
__device__ void select_walk_body(Walk w, const T* c, const T* a, const T* b, T* out, i64 n) {
    GRID_STRIDE(i, n) {
        i64 p[4];
        walk_positions<4>(w, i, p);
        out[p[3]] = select_value<T>(c[p[0]], a[p[1]], b[p[2]]);
    }
}

template <typename T>
__device__ void gather_body(const T* src, const int* positions, T* dst, i64 n) {
    GRID_STRIDE(i, n) { dst[i] = src[positions[i]]; }
}

__device__ __forceinline__ float hk_atomic_add(float* at, float v) { return atomicAdd(at, v); }

__device__ __forceinline__ double hk_atomic_add(double* at, double v) {
#if __CUDA_ARCH__ >= 600
    return atomicAdd(at, v);
#else
    // No double atomicAdd before sm_60: the usual compare-and-swap loop.
    unsigned long long* bits = (unsigned long long*) at;
    unsigned long long old = *bits, assumed;
    do {
        assumed = old;
        old = atomicCAS(bits, assumed, (unsigned long long) __double_as_longlong(__longlong_as_double((i64) assumed) + v));
    } while (assumed != old);
    return __longlong_as_double((i64) old);
#endif
}

// dst[positions[i]] += src[i]; repeated positions are added atomically, in no fixed order.
template <typename T>
__device__ void scatter_add_body(const T* src, const int* positions, T* dst, i64 n) {
    GRID_STRIDE(i, n) { hk_atomic_add(dst + positions[i], src[i]); }
}

// ---------------------------------------------------------------- entry points, one per type

#define HK_KERNELS(T, S) \
extern "C" __global__ void unary_##S(int op, const T* x, T* out, i64 n) { unary_body<T>(op, x, out, n); } \
extern "C" __global__ void binary_##S(int op, const T* a, int aInc, const T* b, int bInc, T* out, i64 n) { binary_body<T>(op, a, aInc, b, bInc, out, n); } \
extern "C" __global__ void select_##S(const T* c, int cInc, const T* a, int aInc, const T* b, int bInc, T* out, i64 n) { select_body<T>(c, cInc, a, aInc, b, bInc, out, n); } \
extern "C" __global__ void axpy_##S(T alpha, const T* x, T* y, i64 n) { axpy_body<T>(alpha, x, y, n); } \
extern "C" __global__ void scale_##S(T alpha, T* x, i64 n) { scale_body<T>(alpha, x, n); } \
extern "C" __global__ void reduce_columns_##S(int op, const T* x, int outer, int len, int inner, T* out) { reduce_columns_body<T>(op, x, outer, len, inner, out); } \
extern "C" __global__ void reduce_rows_##S(int op, const T* x, int len, T* out) { reduce_rows_body<T>(op, x, len, out); } \
extern "C" __global__ void dot_partials_##S(const T* a, const T* b, i64 n, double* partials) { dot_partials_body<T>(a, b, n, partials); } \
extern "C" __global__ void sum_partials_##S(const double* partials, int count, T* result) { sum_partials_body<T>(partials, count, result); } \
extern "C" __global__ void gemm_empty_##S(int m, int n, double alpha, double beta, T* c, int ldc) { gemm_empty_body<T>(m, n, alpha, beta, c, ldc); } \
extern "C" __global__ void im2col_##S(const T* x, int channels, int height, int width, Geometry g, T* cols) { im2col_body<T>(x, channels, height, width, g, cols); } \
extern "C" __global__ void col2im_##S(const T* cols, int channels, int height, int width, Geometry g, T* x) { col2im_body<T>(cols, channels, height, width, g, x); } \
extern "C" __global__ void zero_upper_##S(T* a, int n) { zero_upper_body<T>(a, n); } \
extern "C" __global__ void max_pool_indices_##S(const T* x, int planes, int height, int width, Geometry g, i64* out) { max_pool_indices_body<T>(x, planes, height, width, g, out); } \
extern "C" __global__ void fill_##S(T* x, T value, i64 n) { fill_body<T>(x, value, n); } \
extern "C" __global__ void copy_walk_##S(Walk w, const T* src, T* dst, i64 n) { copy_walk_body<T>(w, src, dst, n); } \
extern "C" __global__ void binary_walk_##S(int op, Walk w, const T* a, const T* b, T* out, i64 n) { binary_walk_body<T>(op, w, a, b, out, n); } \
extern "C" __global__ void select_walk_##S(Walk w, const T* c, const T* a, const T* b, T* out, i64 n) { select_walk_body<T>(w, c, a, b, out, n); } \
extern "C" __global__ void gather_##S(const T* src, const int* positions, T* dst, i64 n) { gather_body<T>(src, positions, dst, n); } \
extern "C" __global__ void scatter_add_##S(const T* src, const int* positions, T* dst, i64 n) { scatter_add_body<T>(src, positions, dst, n); }

HK_KERNELS(float, f32)
HK_KERNELS(double, f64)

// Element type conversions, source type first: convert_f32_f64, ...
#define HK_CONVERT(S_T, S, D_T, D) \
extern "C" __global__ void convert_##S##_##D(const S_T* src, D_T* dst, i64 n) { convert_body<S_T, D_T>(src, dst, n); }

HK_CONVERT(float, f32, double, f64)
HK_CONVERT(double, f64, float, f32)
HK_CONVERT(float, f32, float, f32)
HK_CONVERT(double, f64, double, f64)
