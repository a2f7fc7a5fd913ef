package org.fwprune.pruning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.model.Layer;
import org.fwprune.pruning.PruningReport.LayerSparsity;

/** Counts the zeros of a model's conv and dense kernels (biases are never pruned). */
public final class SparsityMeter {

  private SparsityMeter() {}

  /** Per-kernel counts, in layer order. */
  public static List<LayerSparsity> measure(Cnn model) {
    Map<String, float[]> parameters = model.parameters();
    List<LayerSparsity> out = new ArrayList<>();
    for (Layer layer : model.architecture().weightedLayers()) {
      float[] kernel = parameters.get(layer.kernelKey());
      long nonZeros = 0;
      for (float v : kernel) {
        nonZeros += v != 0f ? 1 : 0;
      }
      out.add(new LayerSparsity(layer.kernelKey(), layer.kernelShape(), kernel.length, nonZeros));
    }
    return out;
  }

  /** Fraction of zeros over all kernels together. */
  public static double overall(List<LayerSparsity> layers) {
    long total = layers.stream().mapToLong(LayerSparsity::parameters).sum();
    long nonZeros = layers.stream().mapToLong(LayerSparsity::nonZeros).sum();
    return total == 0 ? 0 : 1.0 - (double) nonZeros / total;
  }
}
