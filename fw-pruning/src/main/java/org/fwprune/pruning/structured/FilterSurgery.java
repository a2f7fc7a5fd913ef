package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Node;

/**
 * Builds a physically smaller network from a model and the filters (conv) or units (dense) to keep
 * in some of its layers: an architecture with fewer filters, whose next weighted layer has fewer
 * input channels (conv) or input features (dense), with the kept weights copied.
 *
 * <p>A weighted layer is prunable when it is not the last weighted layer and only channel-wise
 * layers (ReLU, max pooling, flatten, dropout) lie between it and the next weighted layer: each
 * maps an all-zero channel to an all-zero channel, so removing a filter gives exactly the network
 * whose filter has a zero kernel and bias. After a flatten of an {@code H x W x C} activation, the
 * dense layer's input feature {@code (h W + w) C + c} belongs to channel {@code c} (HWC layout).
 */
public final class FilterSurgery {

  private FilterSurgery() {}

  /**
   * Refuses a network this class cannot shrink exactly: anything but a chain of convolutions and
   * dense layers with biases, ReLU, max pooling, flatten, dropout and a final softmax. Residual
   * adds, BatchNorm and average pooling couple or mix channels in ways the slicing here does not
   * follow; the message names the first such layer.
   *
   * @throws IllegalArgumentException naming the layer and what is not supported
   */
  public static void checkSupported(Architecture architecture) {
    if (!architecture.sequential()) {
      String join = architecture.nodes().stream().filter(n -> n.inputs().size() > 1
              || architecture.consumers(n.name()).size() > 1)
          .map(n -> n.name()).findFirst().orElse("a branch");
      throw new IllegalArgumentException("structured pruning supports chains of layers only;"
          + " this network branches at " + join + " (residual blocks are not supported yet)");
    }
    for (Layer layer : architecture.resolvedLayers()) {
      LayerSpec spec = layer.spec();
      boolean supported = spec instanceof LayerSpec.Relu || spec instanceof LayerSpec.MaxPool
          || spec instanceof LayerSpec.Flatten || spec instanceof LayerSpec.Dropout
          || spec instanceof LayerSpec.Softmax || (spec.hasKernel() && spec.hasBias());
      if (!supported) {
        throw new IllegalArgumentException("structured pruning does not support layer "
            + layer.name() + " (" + spec.displayName() + (spec.hasKernel() ? " without a bias" : "")
            + ") yet; supported: Conv2D and Dense with a bias, ReLU, MaxPooling2D, Flatten,"
            + " Dropout, Softmax");
      }
    }
  }

  /** The layers whose filters or units can be removed, in order (see the class comment). */
  public static List<Layer> prunableLayers(Architecture architecture) {
    checkSupported(architecture);
    List<Layer> layers = architecture.resolvedLayers();
    List<Layer> out = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      if (!layers.get(i).spec().hasKernel()) {
        continue;
      }
      for (int j = i + 1; j < layers.size(); j++) {
        LayerSpec next = layers.get(j).spec();
        if (next.hasKernel()) {
          out.add(layers.get(i));
          break;
        }
        if (!(next instanceof LayerSpec.Relu || next instanceof LayerSpec.MaxPool
            || next instanceof LayerSpec.Flatten || next instanceof LayerSpec.Dropout)) {
          break;
        }
      }
    }
    return ImmutableList.copyOf(out);
  }

  /**
   * The architecture with {@code counts.get(name)} filters (conv) or units (dense) in each named
   * prunable layer; everything else, seed included, unchanged.
   *
   * @throws IllegalArgumentException if a name is not a prunable layer or a count is not in
   *     [1, the layer's size]
   */
  public static Architecture shrink(Architecture architecture, Map<String, Integer> counts) {
    checkArgument(counts != null, "counts must not be null");
    Map<String, Layer> prunable = byName(prunableLayers(architecture));
    counts.forEach((name, n) -> {
      Layer layer = prunable.get(name);
      checkArgument(layer != null, "%s is not a prunable layer; prunable: %s", name,
          prunable.keySet());
      checkArgument(n != null && n >= 1 && n <= layer.biasSize(),
          "%s: kept count must be in [1, %s], got %s", name, layer.biasSize(), n);
    });
    // The nodes keep their names (an imported Keras model's, say): the sliced weights are
    // keyed by them.
    List<Node> nodes = new ArrayList<>();
    for (Node node : architecture.nodes()) {
      Integer n = counts.get(node.name());
      LayerSpec spec = node.spec();
      if (n != null && spec instanceof LayerSpec.Conv2d c) {
        spec = new LayerSpec.Conv2d(n, c.kernel(), c.stride(), c.padding(), c.useBias());
      } else if (n != null && spec instanceof LayerSpec.Dense d) {
        spec = new LayerSpec.Dense(n, d.useBias());
      }
      nodes.add(new Node(node.name(), spec, node.inputs()));
    }
    return new Architecture(architecture.height(), architecture.width(),
        architecture.channels(), nodes, architecture.seed());
  }

  /**
   * A new model (the caller closes it) in which each named prunable layer keeps only the filters
   * or units {@code kept.get(name)} (distinct indices, in any order; they end up in ascending
   * order), with the weights of {@code model}. Its predictions equal those of {@code model} with
   * the removed filters' kernels and biases set to zero.
   */
  public static Cnn shrink(Cnn model, Map<String, List<Integer>> kept) {
    return shrink(model, kept, Map.of());
  }

  /**
   * As {@link #shrink(Cnn, Map)}, and multiplies the kept kernel and bias of each layer named in
   * {@code scales} by its positive factor ({@link Scaling#AVERAGE}).
   */
  static Cnn shrink(Cnn model, Map<String, List<Integer>> kept, Map<String, Double> scales) {
    checkArgument(model != null, "model must not be null");
    checkArgument(kept != null, "kept must not be null");
    Architecture original = model.architecture();
    Map<String, Layer> prunable = byName(prunableLayers(original));
    Map<String, int[]> sorted = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    kept.forEach((name, indices) -> {
      Layer layer = prunable.get(name);
      checkArgument(layer != null, "%s is not a prunable layer; prunable: %s", name,
          prunable.keySet());
      int[] idx = checkIndices(name, indices, (int) layer.biasSize());
      sorted.put(name, idx);
      counts.put(name, idx.length);
    });
    scales.forEach((name, s) -> checkArgument(s > 0 && Double.isFinite(s),
        "%s: scale must be positive and finite, got %s", name, s));
    Architecture smaller = shrink(original, counts);
    Map<String, float[]> weights = slice(original, model.parameters(), sorted, scales);
    // Same threads as the source, so timing the smaller network against it compares like with like.
    Cnn out = Cnn.of(smaller, model.threads());
    try {
      out.setParameters(weights);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /**
   * Slices every kernel and bias: output channels to the layer's kept set, input channels (or
   * features) to the previous weighted layer's kept set.
   */
  static Map<String, float[]> slice(Architecture a, Map<String, float[]> params,
      Map<String, int[]> kept, Map<String, Double> scales) {
    List<Layer> resolved = a.resolvedLayers();
    Map<String, float[]> out = new LinkedHashMap<>();
    int[] previousKept = null;
    int previousChannels = 0;
    for (Layer layer : resolved) {
      if (!layer.spec().hasKernel()) {
        continue;
      }
      List<Long> shape = layer.kernelShape();
      int inSize = Math.toIntExact(shape.get(shape.size() - 2));
      int outSize = Math.toIntExact(shape.get(shape.size() - 1));
      int receptive = Math.toIntExact(layer.kernelSize() / ((long) inSize * outSize));
      // A conv or a dense layer after a dense one sees the previous channels once; a dense layer
      // after a flatten sees them at each of inSize / channels positions.
      int[] inKept = previousKept == null ? range(inSize)
          : features(previousKept, previousChannels, inSize / previousChannels);
      int[] outKept = kept.getOrDefault(layer.name(), range(outSize));
      float scale = scales.getOrDefault(layer.name(), 1.0).floatValue();
      float[] kernel = params.get(layer.kernelKey());
      float[] bias = params.get(layer.biasKey());
      float[] k2 = new float[receptive * inKept.length * outKept.length];
      for (int r = 0; r < receptive; r++) {
        for (int x = 0; x < inKept.length; x++) {
          int src = (r * inSize + inKept[x]) * outSize;
          int dst = (r * inKept.length + x) * outKept.length;
          for (int y = 0; y < outKept.length; y++) {
            k2[dst + y] = kernel[src + outKept[y]] * scale;
          }
        }
      }
      float[] b2 = new float[outKept.length];
      for (int y = 0; y < outKept.length; y++) {
        b2[y] = bias[outKept[y]] * scale;
      }
      out.put(layer.kernelKey(), k2);
      out.put(layer.biasKey(), b2);
      previousKept = kept.containsKey(layer.name()) ? outKept : null;
      previousChannels = outSize;
    }
    return out;
  }

  /** Input features of the kept channels when each of {@code positions} holds every channel. */
  private static int[] features(int[] keptChannels, int channels, int positions) {
    int[] out = new int[positions * keptChannels.length];
    int k = 0;
    for (int p = 0; p < positions; p++) {
      for (int c : keptChannels) {
        out[k++] = p * channels + c;
      }
    }
    return out;
  }

  private static int[] checkIndices(String name, List<Integer> indices, int size) {
    checkArgument(indices != null && !indices.isEmpty(),
        "%s: keep at least one of its %s filters, got %s", name, size, indices);
    int[] idx = new int[indices.size()];
    boolean[] seen = new boolean[size];
    for (int k = 0; k < idx.length; k++) {
      Integer v = indices.get(k);
      checkArgument(v != null && v >= 0 && v < size,
          "%s: filter indices must be in [0, %s), got %s", name, size, v);
      checkArgument(!seen[v], "%s: filter %s is listed twice", name, v);
      seen[v] = true;
      idx[k] = v;
    }
    Arrays.sort(idx);
    return idx;
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  private static Map<String, Layer> byName(List<Layer> layers) {
    Map<String, Layer> m = new HashMap<>();
    layers.forEach(l -> m.put(l.name(), l));
    return m;
  }
}
