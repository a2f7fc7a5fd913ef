package org.fwprune.core.model;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * One tensor a layer owns: its key in {@link org.fwprune.core.Cnn#parameters()} ({@code <layer>/<role>}), shape and
 * role.
 *
 * @param key {@code <layer>/kernel}, {@code /bias}, {@code /gamma}, {@code /beta}, {@code /alpha},
 *     {@code /moving_mean}, {@code /moving_variance}, {@code /mean} or {@code /variance}
 * @param shape the tensor's shape
 * @param role what the tensor is
 */
public record LayerVariable(String key, List<Long> shape, Role role) {

  /** What a layer's tensor is, and how it is initialised and trained. */
  public enum Role {
    /** Convolution or dense kernel: Glorot-uniform, trained, the only tensors pruners mask. */
    KERNEL("kernel", true, 0),
    /** Bias: zeros, trained. */
    BIAS("bias", true, 0),
    /** BatchNorm, LayerNormalization and LayerScale scale: ones, trained. */
    GAMMA("gamma", true, 1),
    /** PReLU's slope per channel below zero: zeros (Keras' default), trained. */
    ALPHA("alpha", true, 0),
    /** BatchNorm and LayerNormalization offset: zeros, trained. */
    BETA("beta", true, 0),
    /** BatchNorm moving mean: zeros, updated by training steps, not by gradients. */
    MOVING_MEAN("moving_mean", false, 0),
    /** BatchNorm moving variance: ones, updated by training steps, not by gradients. */
    MOVING_VARIANCE("moving_variance", false, 1),
    /** Normalization's stored mean: zeros, model state that no training step changes. */
    MEAN("mean", false, 0),
    /** Normalization's stored variance: ones, model state that no training step changes. */
    VARIANCE("variance", false, 1);

    private final String suffix;
    private final boolean trainable;
    private final float start;

    Role(String suffix, boolean trainable, float start) {
      this.suffix = suffix;
      this.trainable = trainable;
      this.start = start;
    }

    /** The value every entry starts at; kernels are drawn at random instead. */
    public float start() {
      return start;
    }

    /** The key suffix, e.g. {@code kernel}. */
    public String suffix() {
      return suffix;
    }

    /** Whether gradient steps change the tensor. */
    public boolean trainable() {
      return trainable;
    }
  }

  /** Copies the shape. */
  public LayerVariable {
    shape = ImmutableList.copyOf(shape);
  }

  /** Number of entries. */
  public long size() {
    return shape.stream().reduce(1L, (a, b) -> a * b);
  }

  /** The shape as an array, for TensorFlow. */
  public long[] dims() {
    return shape.stream().mapToLong(Long::longValue).toArray();
  }
}
