package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Native arrays from Java values that own their memory, and the scalar operations that need them.
 *
 * <p>DJL's PyTorch engine creates a CPU array from Java values without a copy: the tensor points into a direct
 * buffer that only the Java array object keeps alive. Its scalar overloads ({@code x.mul(0.5f)},
 * {@code x.maximum(0f)}, {@code div}, {@code minimum}) build such a scalar array, apply the tensor operation and
 * close the scalar at once. Under a gradient collector, autograd keeps the scalar for the backward pass (the
 * derivative of a product needs the other factor, a maximum's needs both operands for its mask), and when the
 * garbage collector frees the direct buffer before {@code backward} runs, the gradient is computed from memory
 * handed out again: a ReLU's mask or a loss weight became garbage on whichever steps a collection happened to fall
 * between the forward and the backward pass. Training results then depended on the collector's timing (with a
 * collection every 5 ms, a failure-aware ACT's training loss stayed at 0.7 instead of falling to 0.03; without any
 * collection, repeated trainings agreed bit for bit). So every array built from Java values and every scalar
 * operand on a path that is differentiated goes through here: the values are copied into memory PyTorch allocated,
 * which autograd's references keep alive.
 */
final class NdArrays {
    private NdArrays() {
    }

    /** {@code values} as a native array of {@code shape} owned by {@code m}'s native memory. */
    static NDArray of(NDManager m, float[] values, Shape shape) {
        try (NDArray borrowed = m.create(values, shape)) {
            return borrowed.duplicate();
        }
    }

    /** A scalar in native memory, on {@code like}'s manager. */
    static NDArray scalar(NDArray like, double value) {
        return of(like.getManager(), new float[] {(float) value}, new Shape());
    }

    /** {@code x * value}, differentiable safely. */
    static NDArray mul(NDArray x, double value) {
        return withScalar(x, value, NDArray::mul);
    }

    /** {@code x / value}, differentiable safely. */
    static NDArray div(NDArray x, double value) {
        return withScalar(x, value, NDArray::div);
    }

    /** {@code max(x, value)} elementwise, differentiable safely. */
    static NDArray maximum(NDArray x, double value) {
        return withScalar(x, value, NDArray::maximum);
    }

    /** {@code min(x, value)} elementwise, differentiable safely. */
    static NDArray minimum(NDArray x, double value) {
        return withScalar(x, value, NDArray::minimum);
    }

    /** {@code op(x, value)} with the scalar in native memory; autograd keeps its own reference to it. */
    private static NDArray withScalar(NDArray x, double value, BinaryOperator<NDArray> op) {
        try (NDArray s = scalar(x, value)) {
            return op.apply(x, s);
        }
    }

    /** {@code max(x, 0)}. */
    static NDArray relu(NDArray x) {
        return maximum(x, 0);
    }

    /** {@code values} as a one-dimensional native array owned by {@code m}'s native memory. */
    static NDArray of(NDManager m, float[] values) {
        return of(m, values, new Shape(values.length));
    }
}
