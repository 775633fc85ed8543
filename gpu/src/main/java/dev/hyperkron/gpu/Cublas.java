package dev.hyperkron.gpu;

import static dev.hyperkron.gpu.Native.INT;
import static dev.hyperkron.gpu.Native.LONG;
import static dev.hyperkron.gpu.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * cuBLAS GEMM on row-major matrices. cuBLAS is column-major, and a row-major matrix is the
 * column-major view of its transpose, so C = op(A) op(B) is computed as C^T = op(B)^T op(A)^T.
 */
final class Cublas {
    private static final int DEFAULT_MATH = 0;
    private static final int TF32_TENSOR_OP_MATH = 3;

    private final MethodHandle sgemm;
    private final MethodHandle dgemm;
    private final MethodHandle sgemmStridedBatched;
    private final MethodHandle dgemmStridedBatched;
    private final MethodHandle setMathMode;
    private final MethodHandle errorName;
    private final MemorySegment handle;
    private final MemorySegment scalars = Arena.global().allocate(16, 8);

    Cublas(SymbolLookup lookup, boolean tf32, MemorySegment stream, MemorySegment workspace, long workspaceBytes) {
        Native lib = new Native(lookup, "libcublas");
        MethodHandle create = lib.status("cublasCreate_v2", PTR);
        sgemm = lib.status("cublasSgemm_v2", PTR, INT, INT, INT, INT, INT, PTR, PTR, INT, PTR, INT, PTR, PTR, INT);
        dgemm = lib.status("cublasDgemm_v2", PTR, INT, INT, INT, INT, INT, PTR, PTR, INT, PTR, INT, PTR, PTR, INT);
        sgemmStridedBatched = lib.status("cublasSgemmStridedBatched", PTR, INT, INT, INT, INT, INT, PTR, PTR, INT, LONG,
                PTR, INT, LONG, PTR, PTR, INT, LONG, INT);
        dgemmStridedBatched = lib.status("cublasDgemmStridedBatched", PTR, INT, INT, INT, INT, INT, PTR, PTR, INT, LONG,
                PTR, INT, LONG, PTR, PTR, INT, LONG, INT);
        setMathMode = lib.status("cublasSetMathMode", PTR, INT);
        errorName = lib.handle("cublasGetStatusString", java.lang.foreign.FunctionDescriptor.of(PTR, INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(PTR);
            check((int) create.invokeExact(out), "cublasCreate_v2");
            handle = out.get(PTR, 0);
            check((int) setMathMode.invokeExact(handle, tf32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH), "cublasSetMathMode");
            check((int) lib.status("cublasSetStream_v2", PTR, PTR).invokeExact(handle, stream), "cublasSetStream_v2");
            // A workspace of its own, so that cuBLAS allocates nothing while a CUDA graph is being captured.
            check((int) lib.status("cublasSetWorkspace_v2", PTR, PTR, Native.LONG).invokeExact(handle, workspace, workspaceBytes),
                    "cublasSetWorkspace_v2");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Switches F32 GEMM between exact F32 and TF32 tensor-core math (the default comes from {@link CudaDevice#TF32_PROPERTY}). */
    synchronized void useTf32(boolean tf32) {
        try {
            check((int) setMathMode.invokeExact(handle, tf32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH), "cublasSetMathMode");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Row-major C = alpha op(A) op(B) + beta C on device pointers (already offset), F32. */
    synchronized void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
                            MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        scalars.set(Native.FLOAT, 0, alpha);
        scalars.set(Native.FLOAT, 8, beta);
        try {
            check((int) sgemm.invokeExact(handle, transB ? 1 : 0, transA ? 1 : 0, n, m, k, scalars, b, ldb, a, lda,
                    scalars.asSlice(8), c, ldc), "cublasSgemm_v2");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Row-major C = alpha op(A) op(B) + beta C on device pointers (already offset), F64. */
    synchronized void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, MemorySegment a, int lda,
                            MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        scalars.set(Native.DOUBLE, 0, alpha);
        scalars.set(Native.DOUBLE, 8, beta);
        try {
            check((int) dgemm.invokeExact(handle, transB ? 1 : 0, transA ? 1 : 0, n, m, k, scalars, b, ldb, a, lda,
                    scalars.asSlice(8), c, ldc), "cublasDgemm_v2");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code count} row-major products C_i = alpha op(A_i) op(B_i) + beta C_i in one call, operand
     * i at its pointer plus i times its stride (in elements; 0 repeats an operand); F64 when
     * {@code doubles}, else F32.
     */
    synchronized void gemmStridedBatched(boolean doubles, boolean transA, boolean transB, int m, int n, int k,
                                         double alpha, MemorySegment a, int lda, long strideA, MemorySegment b, int ldb,
                                         long strideB, double beta, MemorySegment c, int ldc, long strideC, int count) {
        if (doubles) {
            scalars.set(Native.DOUBLE, 0, alpha);
            scalars.set(Native.DOUBLE, 8, beta);
        } else {
            scalars.set(Native.FLOAT, 0, (float) alpha);
            scalars.set(Native.FLOAT, 8, (float) beta);
        }
        MethodHandle call = doubles ? dgemmStridedBatched : sgemmStridedBatched;
        try {
            check((int) call.invokeExact(handle, transB ? 1 : 0, transA ? 1 : 0, n, m, k, scalars, b, ldb, strideB, a, lda,
                    strideA, scalars.asSlice(8), c, ldc, strideC, count),
                    doubles ? "cublasDgemmStridedBatched" : "cublasSgemmStridedBatched");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private void check(int status, String call) {
        if (status != 0) {
            String name = "unknown";
            try {
                name = ((MemorySegment) errorName.invokeExact(status)).reinterpret(128).getString(0);
            } catch (Throwable ignored) {
                // keep the number alone
            }
            throw new CudaException(call + " failed: cuBLAS status " + status + " (" + name + ")");
        }
    }
}
