package dev.hyperkron.gpu;

import static dev.hyperkron.gpu.Native.INT;
import static dev.hyperkron.gpu.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * cuSOLVER's dense symmetric routines (Cholesky, SPD solve, symmetric eigendecomposition), F32 and
 * F64, on column-major device matrices. {@link CudaLinalg} maps them onto row-major arrays.
 */
final class Cusolver {
    static final int UPPER = 1;
    static final int VECTORS = 1;

    private final MemorySegment handle;
    private final MethodHandle[] potrfBufferSize = new MethodHandle[2];
    private final MethodHandle[] potrf = new MethodHandle[2];
    private final MethodHandle[] potrs = new MethodHandle[2];
    private final MethodHandle[] syevdBufferSize = new MethodHandle[2];
    private final MethodHandle[] syevd = new MethodHandle[2];

    Cusolver(SymbolLookup lookup) {
        Native lib = new Native(lookup, "libcusolver");
        MethodHandle create = lib.status("cusolverDnCreate", PTR);
        String[] prefixes = {"cusolverDnS", "cusolverDnD"};
        for (int t = 0; t < 2; t++) {
            String p = prefixes[t];
            potrfBufferSize[t] = lib.status(p + "potrf_bufferSize", PTR, INT, INT, PTR, INT, PTR);
            potrf[t] = lib.status(p + "potrf", PTR, INT, INT, PTR, INT, PTR, INT, PTR);
            potrs[t] = lib.status(p + "potrs", PTR, INT, INT, INT, PTR, INT, PTR, INT, PTR);
            syevdBufferSize[t] = lib.status(p + "syevd_bufferSize", PTR, INT, INT, INT, PTR, INT, PTR, PTR);
            syevd[t] = lib.status(p + "syevd", PTR, INT, INT, INT, PTR, INT, PTR, PTR, INT, PTR);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(PTR);
            check((int) create.invokeExact(out), "cusolverDnCreate");
            handle = out.get(PTR, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Workspace elements potrf needs; {@code t} is 0 for F32, 1 for F64. */
    int potrfWorkspace(int t, int uplo, int n, MemorySegment a, int lda) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lwork = arena.allocate(INT);
            check((int) potrfBufferSize[t].invokeExact(handle, uplo, n, a, lda, lwork), "potrf_bufferSize");
            return lwork.get(INT, 0);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    void potrf(int t, int uplo, int n, MemorySegment a, int lda, MemorySegment work, int lwork, MemorySegment info) {
        try {
            check((int) potrf[t].invokeExact(handle, uplo, n, a, lda, work, lwork, info), "potrf");
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    void potrs(int t, int uplo, int n, int nrhs, MemorySegment a, int lda, MemorySegment b, int ldb, MemorySegment info) {
        try {
            check((int) potrs[t].invokeExact(handle, uplo, n, nrhs, a, lda, b, ldb, info), "potrs");
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    int syevdWorkspace(int t, int jobz, int uplo, int n, MemorySegment a, int lda, MemorySegment w) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lwork = arena.allocate(INT);
            check((int) syevdBufferSize[t].invokeExact(handle, jobz, uplo, n, a, lda, w, lwork), "syevd_bufferSize");
            return lwork.get(INT, 0);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    void syevd(int t, int jobz, int uplo, int n, MemorySegment a, int lda, MemorySegment w, MemorySegment work, int lwork,
               MemorySegment info) {
        try {
            check((int) syevd[t].invokeExact(handle, jobz, uplo, n, a, lda, w, work, lwork, info), "syevd");
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private static void check(int status, String call) {
        if (status != 0) {
            throw new CudaException("cusolverDn" + call + " failed: cuSOLVER status " + status);
        }
    }
}
