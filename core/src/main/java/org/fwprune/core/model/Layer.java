package org.fwprune.core.model;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A layer of a built architecture with everything derived from its position: its unique name, the
 * shape it outputs (per example, batch excluded) and, for layers with weights, the kernel shape.
 *
 * @param name unique name such as {@code conv2d_1}; parameters are keyed {@code name/kernel}
 * @param spec the layer's definition
 * @param outputShape per-example output shape: {@code [h, w, c]} or {@code [n]}
 * @param kernelShape kernel shape ({@code [k, k, in, out]} or {@code [in, out]}), empty if none
 */
public record Layer(String name, LayerSpec spec, List<Integer> outputShape, List<Long> kernelShape) {

  /** Copies the lists so the record is immutable. */
  public Layer {
    outputShape = ImmutableList.copyOf(outputShape);
    kernelShape = ImmutableList.copyOf(kernelShape);
  }

  /** Number of kernel entries, 0 for layers without weights. */
  public long kernelSize() {
    return kernelShape.isEmpty() ? 0 : kernelShape.stream().reduce(1L, (a, b) -> a * b);
  }

  /** Number of bias entries (the layer's output channels or units), 0 for layers without weights. */
  public long biasSize() {
    return kernelShape.isEmpty() ? 0 : kernelShape.get(kernelShape.size() - 1);
  }

  /** Trainable parameter count: kernel plus bias. */
  public long parameterCount() {
    return kernelSize() + biasSize();
  }

  /**
   * Inputs feeding one output unit, as used by Glorot initialisation (Glorot and Bengio 2010):
   * receptive field times input channels.
   */
  public long fanIn() {
    return kernelSize() / Math.max(1, biasSize());
  }

  /** Outputs each input unit feeds: receptive field times output channels. */
  public long fanOut() {
    if (kernelShape.isEmpty()) {
      return 0;
    }
    long receptive = kernelShape.size() == 4 ? kernelShape.get(0) * kernelShape.get(1) : 1;
    return receptive * biasSize();
  }

  /** Key of the kernel in {@link Cnn#parameters()}. */
  public String kernelKey() {
    return name + "/kernel";
  }

  /** Key of the bias in {@link Cnn#parameters()}. */
  public String biasKey() {
    return name + "/bias";
  }
}
