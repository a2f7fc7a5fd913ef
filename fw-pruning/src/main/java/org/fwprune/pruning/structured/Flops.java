package org.fwprune.pruning.structured;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;

/**
 * Multiply-adds per example of a network's conv and dense layers, the FLOPs measure of the pruning
 * literature (Li et al. 2017 count one multiply-add as one FLOP).
 *
 * <p>Convention: a conv layer costs {@code H_out W_out k_h k_w C_in C_out} multiply-adds and a
 * dense layer {@code in out}; biases, activations, pooling, flatten, dropout and softmax are not
 * counted (each costs at most one operation per activation, under 2% for the paper network). For
 * the paper network: 194,688 + 2,230,272 + 16,000 = 2,440,960.
 */
public final class Flops {

  private Flops() {}

  /** Multiply-adds per example of every conv and dense layer. */
  public static long perExample(Architecture architecture) {
    return perLayer(architecture).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Multiply-adds per example of each conv and dense layer, keyed by layer name, in order. */
  public static Map<String, Long> perLayer(Architecture architecture) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Layer layer : architecture.weightedLayers()) {
      // Every output position applies the whole kernel: k_h k_w C_in C_out multiply-adds for a
      // convolution, C_in C_out for a dense layer (at each position of an image).
      List<Integer> shape = layer.outputShape();
      long positions = 1;
      for (int axis = 0; axis < shape.size() - 1; axis++) {
        positions *= shape.get(axis);
      }
      out.put(layer.name(), Math.multiplyExact(positions, layer.kernelSize()));
    }
    return out;
  }
}
