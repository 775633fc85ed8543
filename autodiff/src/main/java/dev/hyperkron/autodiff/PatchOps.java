package dev.hyperkron.autodiff;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;

/** Sliding-window ops: unfold and fold are adjoint; pooling is composed from them and gather. */
final class PatchOps {
    private PatchOps() {
    }

    static Var unfold(Var x, ConvGeometry geometry) {
        int height = x.dim(2);
        int width = x.dim(3);
        return Var.record("unfold", x.value().unfold(geometry),
                (g, y, need) -> new Var[] {g.fold(height, width, geometry)}, x);
    }

    static Var fold(Var cols, int height, int width, ConvGeometry geometry) {
        return Var.record("fold", cols.value().fold(height, width, geometry),
                (g, y, need) -> new Var[] {g.unfold(geometry)}, cols);
    }

    /** Routes through gather so that first and second derivatives come from gather's rules. */
    static Var maxPool(Var x, ConvGeometry geometry) {
        Tensor idx = x.value().maxPool2dIndices(geometry);
        int planes = x.dim(0) * x.dim(1);
        Var flat = x.reshape(planes, x.dim(2) * x.dim(3));
        return flat.gather(1, idx.reshape(planes, -1)).reshape(idx.shape());
    }

    static Var avgPool(Var x, ConvGeometry geometry) {
        int n = x.dim(0);
        int c = x.dim(1);
        Var cols = x.reshape(n * c, 1, x.dim(2), x.dim(3)).unfold(geometry);
        return cols.mean(1, false).reshape(n, c, geometry.outHeight(x.dim(2)), geometry.outWidth(x.dim(3)));
    }
}
