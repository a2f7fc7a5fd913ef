package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.fwprune.core.Cnn;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.model.Node;

/**
 * Builds a physically smaller network from a model and the channels to keep in some of its
 * channel groups ({@link ChannelGroups}): an architecture whose producing conv and dense layers
 * have fewer filters (or units), whose BatchNorms carry fewer channels and whose consuming layers
 * have fewer input channels (conv) or input features (dense), with the kept weights copied.
 *
 * <p>A group is named by any of its producers (its first one by default, e.g. {@code conv2d_1}).
 * Removing a channel from every member is exact (see {@link ChannelGroups}): the smaller network's
 * predictions equal the original's with that channel zeroed in the group's producers (kernel
 * column and bias) and BatchNorms (gamma and beta). In a chain of layers every group has one
 * producer, so naming a layer names its own filters.
 */
final class FilterSurgery {

  private FilterSurgery() {}

  /**
   * Refuses a network none of whose channels can be removed exactly (every group is the network's
   * input or output, see {@link ChannelGroups}).
   *
   * @throws IllegalArgumentException naming each group and why it is left whole
   */
  public static void checkSupported(Architecture architecture) {
    ChannelGroups groups = ChannelGroups.of(architecture);
    checkArgument(!groups.prunable().isEmpty(),
        "structured pruning finds no channels to remove exactly in this network: %s",
        groups.whole().stream().map(g -> g.name() + " (" + g.whole().orElse("") + ")").toList());
  }

  /**
   * The first producer of every prunable channel group, in node order: in a chain, every conv
   * and dense layer but the output layer.
   */
  public static List<Layer> prunableLayers(Architecture architecture) {
    return ChannelGroups.of(architecture).prunable().stream()
        .map(g -> architecture.layer(g.name())).toList();
  }

  /**
   * The architecture with {@code counts.get(name)} channels in the group that the conv or dense
   * layer {@code name} produces; everything else, node names and seed included, unchanged.
   *
   * @throws IllegalArgumentException if a name is not a producer of a prunable group, two names
   *     of one group disagree, or a count is not in [1, the group's channels]
   */
  public static Architecture shrink(Architecture architecture, Map<String, Integer> counts) {
    checkArgument(counts != null, "counts must not be null");
    ChannelGroups groups = ChannelGroups.of(architecture);
    Map<ChannelGroups.Group, Integer> byGroup = byGroup(groups, counts);
    byGroup.forEach((g, n) -> checkArgument(n != null && n >= 1 && n <= g.channels(),
        "%s: kept count must be in [1, %s], got %s", g.name(), g.channels(), n));
    Map<String, Integer> perLayer = new HashMap<>();
    byGroup.forEach((g, n) -> g.producers().forEach(p -> perLayer.put(p, n)));
    List<Node> nodes = new ArrayList<>();
    for (Node node : architecture.nodes()) {
      Integer n = perLayer.get(node.name());
      LayerSpec spec = node.spec();
      if (n != null && spec instanceof LayerSpec.Conv2d c) {
        spec = c.withFilters(n);
      } else if (n != null && spec instanceof LayerSpec.Dense d) {
        spec = new LayerSpec.Dense(n, d.useBias());
      } else if (spec instanceof LayerSpec.Reshape r) {
        // A reshape carries a group only as 1 x 1 x C to C or back (ChannelGroups): its channel
        // axis, the last, shrinks with the group.
        Integer kept = groups.groupOfOutput(node.name()).map(byGroup::get).orElse(null);
        if (kept != null) {
          List<Integer> shape = new ArrayList<>(r.shape());
          shape.set(shape.size() - 1, kept);
          spec = new LayerSpec.Reshape(shape);
        }
      }
      nodes.add(new Node(node.name(), spec, node.inputs()));
    }
    return new Architecture(architecture.height(), architecture.width(), architecture.channels(),
        nodes, architecture.seed());
  }

  /**
   * A new model (the caller closes it) in which each named group keeps only the channels
   * {@code kept.get(name)} (distinct indices, in any order; they end up in ascending order), with
   * the weights of {@code model}. Its predictions equal those of {@code model} with the removed
   * channels zeroed in every producer and BatchNorm of their group.
   */
  public static Cnn shrink(Cnn model, Map<String, List<Integer>> kept) {
    return shrink(model, kept, Map.of());
  }

  /**
   * As {@link #shrink(Cnn, Map)}, and multiplies the kept kernel and bias of each producer of the
   * groups named in {@code scales} by its positive factor ({@link Scaling#AVERAGE}).
   */
  static Cnn shrink(Cnn model, Map<String, List<Integer>> kept, Map<String, Double> scales) {
    checkArgument(model != null, "model must not be null");
    checkArgument(kept != null, "kept must not be null");
    Architecture original = model.architecture();
    ChannelGroups groups = ChannelGroups.of(original);
    Map<ChannelGroups.Group, int[]> sorted = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    byGroup(groups, kept).forEach((g, indices) -> {
      int[] idx = checkIndices(g.name(), indices, g.channels());
      sorted.put(g, idx);
      counts.put(g.name(), idx.length);
    });
    Map<String, Double> scaleByLayer = new HashMap<>();
    byGroup(groups, scales).forEach((g, s) -> {
      checkArgument(s > 0 && Double.isFinite(s),
          "%s: scale must be positive and finite, got %s", g.name(), s);
      g.producers().forEach(p -> scaleByLayer.put(p, s));
    });
    Architecture smaller = shrink(original, counts);
    Map<String, float[]> weights = slice(original, model.parameters(), sorted, scaleByLayer);
    // Same threads as the source, so timing the smaller network against it compares like with like.
    Cnn out = Cnn.of(smaller, model.executionOptions());
    try {
      out.setParameters(weights);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /**
   * Every conv and dense kernel and bias sliced to its group's kept output channels and to the
   * kept input channels (or features) of the groups it reads; every BatchNorm tensor, and every
   * depthwise member's filters and bias, to the kept channels of the groups it carries. {@code scales} is keyed by producing layer.
   */
  static Map<String, float[]> slice(Architecture a, Map<String, float[]> params,
      Map<ChannelGroups.Group, int[]> kept, Map<String, Double> scales) {
    // Per layer, the channels (or input features) each group removes; a layer after a
    // concatenation loses channels of several groups, each at its offset.
    Map<String, boolean[]> outRemoved = new HashMap<>();
    Map<String, boolean[]> inRemoved = new HashMap<>();
    kept.forEach((g, idx) -> {
      boolean[] removed = new boolean[g.channels()];
      Arrays.fill(removed, true);
      for (int c : idx) {
        removed[c] = false;
      }
      for (String m : g.members()) {
        boolean[] r = outRemoved.computeIfAbsent(m, k -> new boolean[a.layer(k).channels()]);
        for (int c = 0; c < removed.length; c++) {
          r[g.offsetIn(m) + c] |= removed[c];
        }
      }
      for (ChannelGroups.Consumer c : g.consumers()) {
        boolean[] r = inRemoved.computeIfAbsent(c.layer(),
            k -> new boolean[c.positions() * c.width()]);
        for (int p = 0; p < c.positions(); p++) {
          for (int ch = 0; ch < removed.length; ch++) {
            r[p * c.width() + c.offset() + ch] |= removed[ch];
          }
        }
      }
    });
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Layer layer : a.resolvedLayers()) {
      int[] keptOut = keptIndices(outRemoved.get(layer.name()));
      int[] keptIn = keptIndices(inRemoved.get(layer.name()));
      float scale = scales.getOrDefault(layer.name(), 1.0).floatValue();
      for (LayerVariable v : layer.variables()) {
        float[] values = params.get(v.key());
        if (v.role() == LayerVariable.Role.KERNEL
            && layer.spec() instanceof LayerSpec.DepthwiseConv2d) {
          // [k, k, channels, 1]: each kept channel keeps its own filter.
          values = sliceKernel(layer, values, keptOut, null, 1);
        } else if (v.role() == LayerVariable.Role.KERNEL) {
          values = sliceKernel(layer, values, keptIn, keptOut, scale);
        } else if (keptOut != null) {
          // Bias and BatchNorm tensors: one entry per output channel.
          values = pick(values, keptOut, v.role() == LayerVariable.Role.BIAS ? scale : 1);
        }
        out.put(v.key(), values);
      }
    }
    return out;
  }

  /** The indices not removed, in ascending order; null when {@code removed} is. */
  private static int[] keptIndices(boolean[] removed) {
    if (removed == null) {
      return null;
    }
    return IntStream.range(0, removed.length).filter(i -> !removed[i]).toArray();
  }

  /** The kernel's input rows {@code keptIn} and output columns {@code keptOut} (null: all). */
  private static float[] sliceKernel(Layer layer, float[] kernel, int[] keptIn, int[] keptOut,
      float scale) {
    if (keptIn == null && keptOut == null) {
      return kernel;
    }
    List<Long> shape = layer.kernelShape();
    int inSize = Math.toIntExact(shape.get(shape.size() - 2));
    int outSize = Math.toIntExact(shape.get(shape.size() - 1));
    int receptive = Math.toIntExact(layer.kernelSize() / ((long) inSize * outSize));
    int[] o = keptOut == null ? IntStream.range(0, outSize).toArray() : keptOut;
    int[] x = keptIn == null ? IntStream.range(0, inSize).toArray() : keptIn;
    float[] k2 = new float[receptive * x.length * o.length];
    for (int r = 0; r < receptive; r++) {
      for (int i = 0; i < x.length; i++) {
        int src = (r * inSize + x[i]) * outSize;
        int dst = (r * x.length + i) * o.length;
        for (int j = 0; j < o.length; j++) {
          k2[dst + j] = kernel[src + o[j]] * scale;
        }
      }
    }
    return k2;
  }

  /** Groups named by their producers, each named once. */
  private static <T> Map<ChannelGroups.Group, T> byGroup(ChannelGroups groups,
      Map<String, T> byName) {
    Map<ChannelGroups.Group, T> out = new LinkedHashMap<>();
    Map<ChannelGroups.Group, String> namedAs = new HashMap<>();
    byName.forEach((name, value) -> {
      ChannelGroups.Group g = groups.prunableGroupOf(name);
      String earlier = namedAs.put(g, name);
      checkArgument(earlier == null, "%s and %s belong to one channel group (%s): name it once",
          earlier, name, g.name());
      out.put(g, value);
    });
    return out;
  }

  private static float[] pick(float[] values, int[] idx, float scale) {
    float[] out = new float[idx.length];
    for (int j = 0; j < idx.length; j++) {
      out[j] = values[idx[j]] * scale;
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

}
