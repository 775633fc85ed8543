package dev.hyperkron.autodiff;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;
import java.util.function.Consumer;

/**
 * A tensor in a differentiable computation: its value and, when it depends on something that
 * requires a gradient, the node that produced it. The graph is recorded as ops run (define by
 * run) and lives only in the Vars themselves, so independent computations on different threads
 * never share state. Differentiate with {@link Grad}.
 *
 * <p>Each op has the forward rules of the {@link Tensor} op of the same name (shapes,
 * broadcasting, dtypes, exceptions) and records its backward rule, itself written with Var ops so
 * that gradients can be differentiated again.
 */
public final class Var {
    private final Tensor value;
    private final Node node;
    private final boolean requiresGrad;

    private Var(Tensor value, Node node, boolean requiresGrad) {
        if (requiresGrad && !value.dtype().isFloating()) {
            throw new IllegalArgumentException("only floating tensors can require gradients, got " + value.dtype());
        }
        this.value = value;
        this.node = node;
        this.requiresGrad = requiresGrad;
    }

    /** A leaf that requires a gradient (a parameter or outer variable). */
    public static Var leaf(Tensor value) {
        return new Var(value, null, true);
    }

    /** A value that is never differentiated (data, labels, masks). */
    public static Var constant(Tensor value) {
        return new Var(value, null, false);
    }

    /** A scalar constant of the given dtype. */
    public static Var scalar(DType dtype, double value) {
        return constant(Tensor.scalar(dtype, value));
    }

    /**
     * Records an op: the result carries a node when recording is on and some input requires a
     * gradient, and is a constant otherwise.
     */
    static Var record(String op, Tensor value, Backward backward, Var... inputs) {
        if (GradMode.isEnabled()) {
            for (Var in : inputs) {
                if (in.requiresGrad) {
                    return new Var(value, new Node(op, inputs, backward), true);
                }
            }
        }
        return new Var(value, null, false);
    }

    /** The value computed for this Var (shared, not copied: do not modify it in place). */
    public Tensor value() {
        return value;
    }

    /** Whether gradients flow into this Var. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Whether this Var was produced by a recorded op (false for leaves and constants). */
    public boolean hasNode() {
        return node != null;
    }

    Node node() {
        return node;
    }

    /**
     * The same value, with {@code observer} called with the gradient that flows back through
     * this point on every backward pass. Curvature capture (KFAC) uses it on layer outputs;
     * the forward pass costs nothing extra.
     */
    public Var tapGradient(Consumer<Tensor> observer) {
        return record("tapGradient", value, (g, y, need) -> {
            observer.accept(g.value());
            return new Var[] {g};
        }, this);
    }

    /** The same value, cut from the graph. */
    public Var detach() {
        return constant(value);
    }

    /** The shape of the value. */
    public Shape shape() {
        return value.shape();
    }

    /** The dtype of the value. */
    public DType dtype() {
        return value.dtype();
    }

    /** The number of dimensions of the value. */
    public int rank() {
        return value.rank();
    }

    /** The number of elements of the value. */
    public int size() {
        return value.size();
    }

    /** Size of dimension {@code axis} of the value (negative axes count from the end). */
    public int dim(int axis) {
        return value.dim(axis);
    }

    /** The single value of a one-element Var. */
    public double item() {
        return value.item();
    }

    // ------------------------------------------------------------------ elementwise

    /** Elementwise -x. */
    public Var neg() {
        return ElementwiseOps.neg(this);
    }

    /** Elementwise |x|; the gradient is sign(x), 0 at x = 0. */
    public Var abs() {
        return ElementwiseOps.abs(this);
    }

    /** Elementwise x * x. */
    public Var square() {
        return ElementwiseOps.square(this);
    }

    /** Elementwise square root; the gradient 1 / (2 sqrt x) is infinite at 0. */
    public Var sqrt() {
        return ElementwiseOps.sqrt(this);
    }

    /** Elementwise 1 / x. */
    public Var reciprocal() {
        return ElementwiseOps.reciprocal(this);
    }

    /** Elementwise e^x. */
    public Var exp() {
        return ElementwiseOps.exp(this);
    }

    /** Elementwise natural logarithm. */
    public Var log() {
        return ElementwiseOps.log(this);
    }

    /** Elementwise hyperbolic tangent. */
    public Var tanh() {
        return ElementwiseOps.tanh(this);
    }

    /** Elementwise logistic function 1 / (1 + e^-x). */
    public Var sigmoid() {
        return ElementwiseOps.sigmoid(this);
    }

    /** Elementwise max(x, 0); the gradient is 1 where x > 0, else 0 (0 at x = 0). */
    public Var relu() {
        return ElementwiseOps.relu(this);
    }

    /** Elementwise log(1 + e^x) without overflow; its gradient is sigmoid(x). */
    public Var softplus() {
        return ElementwiseOps.softplus(this);
    }

    /** Elementwise Gauss error function. */
    public Var erf() {
        return ElementwiseOps.erf(this);
    }

    /** Exact GELU, x Phi(x). */
    public Var gelu() {
        return ElementwiseOps.gelu(this);
    }

    /** x^c for a constant exponent. */
    public Var pow(double exponent) {
        return ElementwiseOps.pow(this, exponent);
    }

    /** Clamps into [low, high]; the gradient passes where low <= x <= high. */
    public Var clamp(double low, double high) {
        return ElementwiseOps.clamp(this, low, high);
    }

    /**
     * Elementwise this + other. Broadcasts with NumPy rules; the gradient of each operand is summed
     * back to its shape. Both operands need the same floating dtype (IllegalArgumentException
     * otherwise, ShapeException if the shapes do not broadcast).
     */
    public Var add(Var other) {
        return ElementwiseOps.add(this, other);
    }

    /**
     * Elementwise this - other. Broadcasts with NumPy rules; the gradient of each operand is summed
     * back to its shape. Both operands need the same floating dtype (IllegalArgumentException
     * otherwise, ShapeException if the shapes do not broadcast).
     */
    public Var sub(Var other) {
        return ElementwiseOps.sub(this, other);
    }

    /**
     * Elementwise (Hadamard) product. Broadcasts with NumPy rules; the gradient of each operand is
     * summed back to its shape. Both operands need the same floating dtype
     * (IllegalArgumentException otherwise, ShapeException if the shapes do not broadcast).
     */
    public Var mul(Var other) {
        return ElementwiseOps.mul(this, other);
    }

    /**
     * Elementwise this / other. Broadcasts with NumPy rules; the gradient of each operand is summed
     * back to its shape. Both operands need the same floating dtype (IllegalArgumentException
     * otherwise, ShapeException if the shapes do not broadcast).
     */
    public Var div(Var other) {
        return ElementwiseOps.div(this, other);
    }

    /** x^y with both operands differentiable (x > 0 where y's gradient is needed). */
    public Var pow(Var exponent) {
        return ElementwiseOps.pow(this, exponent);
    }

    /**
     * Elementwise larger of the two; the larger operand takes the gradient, each takes half on ties
     * (as PyTorch). Broadcasts with NumPy rules; the gradient of each operand is summed back to its
     * shape. Both operands need the same floating dtype (IllegalArgumentException otherwise,
     * ShapeException if the shapes do not broadcast).
     */
    public Var maximum(Var other) {
        return ElementwiseOps.maximum(this, other);
    }

    /**
     * Elementwise smaller of the two; the smaller operand takes the gradient, each takes half on
     * ties (as PyTorch). Broadcasts with NumPy rules; the gradient of each operand is summed back
     * to its shape. Both operands need the same floating dtype (IllegalArgumentException otherwise,
     * ShapeException if the shapes do not broadcast).
     */
    public Var minimum(Var other) {
        return ElementwiseOps.minimum(this, other);
    }

    /**
     * Adds the constant c to every element. The constant gets this Var's dtype and is not
     * differentiated.
     */
    public Var add(double c) {
        return ElementwiseOps.add(this, constantLike(c));
    }

    /**
     * Subtracts the constant c from every element. The constant gets this Var's dtype and is not
     * differentiated.
     */
    public Var sub(double c) {
        return ElementwiseOps.add(this, constantLike(-c));
    }

    /** Multiplies every element by the constant c. */
    public Var mul(double c) {
        return ElementwiseOps.scale(this, c);
    }

    /** Divides every element by the constant c (multiplies by 1 / c). */
    public Var div(double c) {
        return ElementwiseOps.scale(this, 1.0 / c);
    }

    /** Elementwise choice {@code cond != 0 ? a : b}; cond is not differentiated. */
    public static Var where(Tensor cond, Var a, Var b) {
        return ElementwiseOps.where(cond, a, b);
    }

    /** This Var converted to another floating dtype; the gradient is converted back. */
    public Var cast(DType target) {
        return ElementwiseOps.cast(this, target);
    }

    private Var constantLike(double c) {
        return Var.scalar(dtype(), c);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements (rank 0). */
    public Var sum() {
        return ReductionOps.sum(this, allAxes(), false);
    }

    /**
     * Sum along one axis (kept with size 1 if keepDims, else removed). ShapeException for an axis
     * out of range or given twice.
     */
    public Var sum(int axis, boolean keepDims) {
        return ReductionOps.sum(this, new int[] {axis}, keepDims);
    }

    /**
     * Sum along the given axes (kept with size 1 if keepDims, else removed). ShapeException for an
     * axis out of range or given twice.
     */
    public Var sum(int[] axes, boolean keepDims) {
        return ReductionOps.sum(this, axes, keepDims);
    }

    /** Mean of all elements (rank 0). */
    public Var mean() {
        return ReductionOps.mean(this, allAxes(), false);
    }

    /**
     * Mean along one axis (kept with size 1 if keepDims, else removed). ShapeException for an axis
     * out of range or given twice.
     */
    public Var mean(int axis, boolean keepDims) {
        return ReductionOps.mean(this, new int[] {axis}, keepDims);
    }

    /**
     * Mean along the given axes (kept with size 1 if keepDims, else removed). ShapeException for an
     * axis out of range or given twice.
     */
    public Var mean(int[] axes, boolean keepDims) {
        return ReductionOps.mean(this, axes, keepDims);
    }

    /** Maximum along axes; ties share the gradient equally. */
    public Var max(int[] axes, boolean keepDims) {
        return ReductionOps.extreme(this, axes, keepDims, true);
    }

    /**
     * Maximum along one axis; ties share the gradient equally. ShapeException for an axis out of
     * range or given twice.
     */
    public Var max(int axis, boolean keepDims) {
        return ReductionOps.extreme(this, new int[] {axis}, keepDims, true);
    }

    /**
     * Minimum along axes; ties share the gradient equally. ShapeException for an axis out of range
     * or given twice.
     */
    public Var min(int[] axes, boolean keepDims) {
        return ReductionOps.extreme(this, axes, keepDims, false);
    }

    /**
     * Minimum along one axis; ties share the gradient equally. ShapeException for an axis out of
     * range or given twice.
     */
    public Var min(int axis, boolean keepDims) {
        return ReductionOps.extreme(this, new int[] {axis}, keepDims, false);
    }

    /**
     * log(sum(exp(x))) along axes, stable for large inputs; the gradient is the softmax.
     * ShapeException for an axis out of range or given twice.
     */
    public Var logsumexp(int[] axes, boolean keepDims) {
        return ReductionOps.logsumexp(this, axes, keepDims);
    }

    /**
     * log(sum(exp(x))) along one axis, stable for large inputs; the gradient is the softmax.
     * ShapeException for an axis out of range or given twice.
     */
    public Var logsumexp(int axis, boolean keepDims) {
        return ReductionOps.logsumexp(this, new int[] {axis}, keepDims);
    }

    /** Population variance along axes (composition of differentiable ops). */
    public Var variance(int[] axes, boolean keepDims) {
        return ReductionOps.variance(this, axes, keepDims);
    }

    /** exp(x - max) / sum(exp(x - max)) along an axis. */
    public Var softmax(int axis) {
        return ReductionOps.softmax(this, axis);
    }

    /** x - logsumexp(x) along an axis, stable for large inputs. */
    public Var logSoftmax(int axis) {
        return ReductionOps.logSoftmax(this, axis);
    }

    /** Sum over broadcast dimensions down to {@code target}; the adjoint of {@link #expand}. */
    public Var sumTo(Shape target) {
        return ReductionOps.sumTo(this, target);
    }

    /** Sum of this * other over all elements (same shape; broadcasting operands are multiplied out first). */
    public Var dot(Var other) {
        return ReductionOps.dot(this, other);
    }

    private int[] allAxes() {
        int[] axes = new int[rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return axes;
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product over the last two axes, batch axes broadcast (both of rank >= 2, same floating
     * dtype; ShapeException if the inner or batch dimensions differ).
     */
    public Var matmul(Var other) {
        return MatMulOps.matmul(this, other, false, false);
    }

    /**
     * Matrix product with either operand's last two axes transposed first; same rules as {@link
     * #matmul(Var)}.
     */
    public Var matmul(Var other, boolean transposeThis, boolean transposeOther) {
        return MatMulOps.matmul(this, other, transposeThis, transposeOther);
    }

    /**
     * A linear layer on the last axis with its bias and activation as one op:
     * {@code activation(this W^T + bias)} for this [..., in], {@code weight} [out, in] and
     * {@code bias} [out] (null: none). Equal to the bit to {@code matmul(weight, false, true)},
     * {@code add(bias)} and the activation in turn, with one node instead of three and the
     * intermediate tensors never made; gradients and higher derivatives are those of the
     * unfused ops.
     */
    public Var linear(Var weight, Var bias, FusedActivation activation) {
        return LinearOps.linear(this, weight, bias, activation);
    }

    // ------------------------------------------------------------------ layout

    /**
     * Same elements, new shape of the same size (one dimension may be -1); ShapeException if the
     * sizes differ.
     */
    public Var reshape(int... dims) {
        return LayoutOps.reshape(this, Shape.of(resolve(dims)));
    }

    /** Same elements, new shape of the same size; ShapeException if the sizes differ. */
    public Var reshape(Shape shape) {
        return LayoutOps.reshape(this, shape);
    }

    private int[] resolve(int[] dims) {
        return value.reshape(dims).shape().dims();
    }

    /** Reshaped to 1-D. */
    public Var flatten() {
        return reshape(size());
    }

    /**
     * Axes reordered: result axis i is this Var's axis perm[i]; ShapeException if perm is not a
     * permutation of the axes.
     */
    public Var permute(int... perm) {
        return LayoutOps.permute(this, perm);
    }

    /** Swaps two axes (negative axes count from the end). */
    public Var transpose(int axis0, int axis1) {
        int[] perm = new int[rank()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int a = shape().axis(axis0);
        int b = shape().axis(axis1);
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /**
     * Elements [start, end) along an axis; the gradient is zero-padded back. ShapeException for an
     * invalid range.
     */
    public Var slice(int axis, int start, int end) {
        return LayoutOps.slice(this, axis, start, end);
    }

    /** Zero padding along an axis (the adjoint of slice); ShapeException for negative padding. */
    public Var pad(int axis, int before, int after) {
        return LayoutOps.pad(this, axis, before, after);
    }

    /**
     * Joins Vars along an existing axis; all other dimensions and the dtypes must agree
     * (ShapeException, IllegalArgumentException).
     */
    public static Var concat(int axis, Var... parts) {
        return LayoutOps.concat(axis, parts);
    }

    /**
     * Broadcast to a larger shape (NumPy rules); the gradient is summed back. ShapeException if
     * this shape does not broadcast to target.
     */
    public Var expand(Shape target) {
        return LayoutOps.expand(this, target);
    }

    /** Inserts a dimension of size 1 at {@code axis}. */
    public Var unsqueeze(int axis) {
        return reshape(value.unsqueeze(axis).shape());
    }

    /** Removes a dimension of size 1 at {@code axis}; ShapeException if it is not of size 1. */
    public Var squeeze(int axis) {
        return reshape(value.squeeze(axis).shape());
    }

    // ------------------------------------------------------------------ indexing

    /**
     * torch.gather along {@code axis} with an integer index of the same rank; the gradient is
     * scattered back (added) to the gathered positions.
     */
    public Var gather(int axis, Tensor index) {
        return IndexOps.gather(this, axis, index);
    }

    /** This plus src scattered (added) at index along axis; both differentiable. */
    public Var scatterAdd(int axis, Tensor index, Var src) {
        return IndexOps.scatterAdd(this, axis, index, src);
    }

    /**
     * The slices at the given 1-D integer positions along {@code axis}, in that order (repeats
     * allowed; their gradients add up).
     */
    public Var indexSelect(int axis, Tensor indices) {
        return IndexOps.indexSelect(this, axis, indices);
    }

    /**
     * This plus the slices of src added at the given 1-D integer positions along {@code axis}; both
     * differentiable.
     */
    public Var indexAdd(int axis, Tensor indices, Var src) {
        return IndexOps.indexAdd(this, axis, indices, src);
    }

    // ------------------------------------------------------------------ convolution helpers

    /** im2col of [N, C, H, W] to [N, C * kH * kW, L]. */
    public Var unfold(ConvGeometry geometry) {
        return PatchOps.unfold(this, geometry);
    }

    /** col2im of [N, C * kH * kW, L] to [N, C, height, width]. */
    public Var fold(int height, int width, ConvGeometry geometry) {
        return PatchOps.fold(this, height, width, geometry);
    }

    /** Max pooling; the gradient goes to each window's (first) maximum. */
    public Var maxPool2d(ConvGeometry geometry) {
        return PatchOps.maxPool(this, geometry);
    }

    /** Average pooling (padded zeros count). */
    public Var avgPool2d(ConvGeometry geometry) {
        return PatchOps.avgPool(this, geometry);
    }

    /** The op that produced this Var (or leaf/const) and its value. */
    @Override
    public String toString() {
        return "Var(" + (node != null ? node.op() + ", " : requiresGrad ? "leaf, " : "const, ") + value + ")";
    }
}
