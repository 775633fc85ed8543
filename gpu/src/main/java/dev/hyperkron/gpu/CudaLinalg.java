package dev.hyperkron.gpu;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.linalg.NotPositiveDefiniteException;
import java.lang.foreign.MemorySegment;

/**
 * The KFAC linear algebra on the GPU through cuSOLVER: Cholesky factor, SPD inverse and symmetric
 * eigendecomposition of row-major n x n matrices held in {@link DeviceArray}s. A symmetric row-major
 * matrix is its own column-major view, and cuSOLVER's upper triangle is the row-major lower one.
 */
public final class CudaLinalg {
    private static volatile Cusolver cusolver;

    private final CudaDevice device;

    public CudaLinalg(CudaDevice device) {
        this.device = device;
    }

    private Cusolver solver() {
        Cusolver s = cusolver;
        if (s == null) {
            synchronized (CudaLinalg.class) {
                if (cusolver == null) {
                    CudaLibraries libs = device.libraries;
                    libs.preload("libnvJitLink.so.13", "libnvJitLink.so.12");
                    libs.preload("libcusparse.so.12", "libcusparse.so.11");
                    cusolver = new Cusolver(libs.open("cuSOLVER", "libcusolver.so.12", "libcusolver.so.11", "libcusolver.so"));
                }
                s = cusolver;
            }
        }
        return s;
    }

    /**
     * Replaces the symmetric positive definite row-major matrix {@code a} (n x n) by its lower
     * Cholesky factor L (A = L L^T), zeros above the diagonal; throws
     * {@link NotPositiveDefiniteException} naming the failed pivot otherwise.
     */
    public void choleskyInPlace(DeviceArray a, int n) {
        requireSquare(a, n);
        choleskyInPlaceKeepingUpper(a, n);
        zeroUpperTriangle(a, n);
    }

    /** The inverse of a symmetric positive definite row-major matrix, as a new device array ({@code a} is unchanged). */
    public DeviceArray spdInverse(DeviceArray a, int n) {
        requireSquare(a, n);
        DeviceArray factor = copy(a);
        try {
            choleskyInPlaceKeepingUpper(factor, n);
            double[] identity = new double[n * n];
            for (int i = 0; i < n; i++) {
                identity[i * n + i] = 1;
            }
            DeviceArray x = a.dtype() == DType.F64 ? DeviceArray.upload(device, identity) : DeviceArray.upload(device, toFloat(identity));
            try (DeviceArray info = DeviceArray.zeros(device, DType.F64, 1)) {
                solver().potrs(a.dtype() == DType.F32 ? 0 : 1, Cusolver.UPPER, n, n, factor.at(0), n, x.at(0), n, info.at(0));
                int bad = info(info);
                if (bad != 0) {
                    throw new CudaException("cusolverDnpotrs rejected argument " + (-bad));
                }
            }
            return x;
        } finally {
            factor.close();
        }
    }

    /** Eigenvalues (ascending) and eigenvectors of a symmetric row-major matrix. */
    public record Eigen(double[] values, double[] vectorsAsColumns, int n) {
    }

    /**
     * The eigendecomposition A = V diag(w) V^T of a symmetric row-major matrix (only its lower
     * triangle is read); V's columns are the eigenvectors, row-major, matching core's SymmetricEigen.
     */
    public Eigen symmetricEigen(DeviceArray a, int n) {
        requireSquare(a, n);
        device.bindCurrentThread();
        int t = a.dtype() == DType.F32 ? 0 : 1;
        Cusolver s = solver();
        try (DeviceArray v = copy(a); DeviceArray w = DeviceArray.allocate(device, a.dtype(), n);
             DeviceArray info = DeviceArray.zeros(device, DType.F64, 1)) {
            int lwork = s.syevdWorkspace(t, Cusolver.VECTORS, Cusolver.UPPER, n, v.at(0), n, w.at(0));
            try (DeviceArray work = DeviceArray.allocate(device, a.dtype(), Math.max(1, lwork))) {
                s.syevd(t, Cusolver.VECTORS, Cusolver.UPPER, n, v.at(0), n, w.at(0), work.at(0), lwork, info.at(0));
                int bad = info(info);
                if (bad != 0) {
                    throw new CudaException("cusolverDnsyevd did not converge or rejected an argument (info " + bad + ")");
                }
            }
            double[] values = toDouble(w.download());
            double[] rowsAreVectors = toDouble(v.download()); // column-major eigenvectors = row-major rows
            double[] columns = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    columns[i * n + j] = rowsAreVectors[j * n + i];
                }
            }
            return new Eigen(values, columns, n);
        }
    }

    private void choleskyInPlaceKeepingUpper(DeviceArray a, int n) {
        device.bindCurrentThread();
        int t = a.dtype() == DType.F32 ? 0 : 1;
        Cusolver s = solver();
        int lwork = s.potrfWorkspace(t, Cusolver.UPPER, n, a.at(0), n);
        try (DeviceArray work = DeviceArray.allocate(device, a.dtype(), Math.max(1, lwork));
             DeviceArray info = DeviceArray.zeros(device, DType.F64, 1)) {
            s.potrf(t, Cusolver.UPPER, n, a.at(0), n, work.at(0), lwork, info.at(0));
            int failed = info(info);
            if (failed > 0) {
                throw new NotPositiveDefiniteException(n, failed - 1, Double.NaN);
            }
        }
    }

    private void zeroUpperTriangle(DeviceArray a, int n) {
        device.module.launch("zero_upper" + (a.dtype() == DType.F32 ? "_f32" : "_f64"), CudaModule.blocksFor((long) n * n), 0,
                a.at(0), n);
    }

    private int info(DeviceArray info) {
        int[] host = new int[1];
        device.runtime.memcpy(MemorySegment.ofArray(host), info.at(0), Integer.BYTES, CudaRuntime.DEVICE_TO_HOST);
        return host[0];
    }

    private DeviceArray copy(DeviceArray a) {
        DeviceArray c = DeviceArray.allocate(device, a.dtype(), a.length());
        device.runtime.memcpy(c.at(0), a.at(0), a.bytes(), CudaRuntime.DEVICE_TO_DEVICE);
        return c;
    }

    private static void requireSquare(DeviceArray a, int n) {
        if (n < 0 || (long) n * n != a.length()) {
            throw new IllegalArgumentException("expected an " + n + " x " + n + " matrix, found a device array of " + a.length()
                    + " elements");
        }
    }

    /** The values rounded to float. */
    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] toDouble(Object host) {
        if (host instanceof double[] d) {
            return d;
        }
        float[] f = (float[]) host;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
