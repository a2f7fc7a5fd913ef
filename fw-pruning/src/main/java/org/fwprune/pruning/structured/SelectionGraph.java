package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.runtime.internal.Forward;
import org.fwprune.core.runtime.internal.GraphBuilder;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.PrunableModel;
import org.fwprune.core.runtime.internal.ScalarFeed;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Graph ops, added to a model's own graph, that evaluate the model with some channels removed,
 * without touching its weights. Every prunable channel group ({@link ChannelGroups}) gets a 0/1
 * indicator variable over its channels and a scale; the masked forward pass multiplies by
 * {@code indicator * scale} the output of each of the group's BatchNorms and of each producer not
 * read only by one of them, which for a 0 entry equals zeroing that channel in every member.
 *
 * <p>{@link #candidateLosses} scores {@code K} candidate channels of one group in a single session
 * run: the network up to the latest node that dominates the group's producers and the output
 * ({@link Dominators}; in a chain, the layer itself) runs once on the minibatch, that output is tiled
 * {@code K} times, copy {@code k} gets candidate {@code k}'s mask (the selected set plus channel
 * {@code k}) at every mask point of the group, and the rest of the network runs on the {@code K B}
 * examples; the per-example cross-entropy is averaged per copy. Built once per model (and per
 * group and {@code K}) through {@link PrunableModel#extension}.
 */
final class SelectionGraph {

  private final PrunableModel graph;
  private final Map<String, ChannelGroups.Group> prunable;
  private final Map<String, List<String>> maskPoints;
  private final Map<String, Variable<TFloat32>> indicators;
  private final Map<String, Variable<TFloat32>> scales;
  private final Placeholder<TInt32> index;
  private final Placeholder<TFloat32> value;
  private final Map<String, Op> resets;
  private final Map<String, Op> adds;
  private final Map<String, Op> setScales;
  private final Op restore;
  private final Operand<TFloat32> correct;

  private record Key() {}

  private record CandidateKey(String layer, int k) {}

  /** Ops that score {@code k} candidates of one layer; see {@link #candidateLosses}. */
  private record CandidateOps(List<Placeholder<TInt32>> candidates, Placeholder<TFloat32> scale,
      List<Operand<TFloat32>> losses) {}

  private SelectionGraph(PrunableModel graph, Map<String, ChannelGroups.Group> prunable,
      Map<String, List<String>> maskPoints,
      Map<String, Variable<TFloat32>> indicators, Map<String, Variable<TFloat32>> scales,
      Placeholder<TInt32> index, Placeholder<TFloat32> value, Map<String, Op> resets,
      Map<String, Op> adds, Map<String, Op> setScales, Op restore, Operand<TFloat32> correct) {
    this.graph = graph;
    this.prunable = prunable;
    this.maskPoints = maskPoints;
    this.indicators = indicators;
    this.scales = scales;
    this.index = index;
    this.value = value;
    this.resets = resets;
    this.adds = adds;
    this.setScales = setScales;
    this.restore = restore;
    this.correct = correct;
  }

  /** The ops of {@code graph}, built on first use; every indicator starts at ones. */
  static SelectionGraph of(PrunableModel graph) {
    return graph.extension(new Key(), b -> build(graph, b));
  }

  private static SelectionGraph build(PrunableModel g, GraphBuilder b) {
    Ops tf = b.tf();
    Ops init = tf.withInitScope();
    String prefix = b.uniqueName("structured");
    Map<String, ChannelGroups.Group> prunable = new LinkedHashMap<>();
    Map<String, List<String>> maskPoints = new HashMap<>();
    Map<String, Variable<TFloat32>> indicators = new LinkedHashMap<>();
    Map<String, Variable<TFloat32>> scales = new LinkedHashMap<>();
    Map<String, Op> resets = new HashMap<>();
    Map<String, Op> adds = new HashMap<>();
    Map<String, Op> setScales = new HashMap<>();
    Placeholder<TInt32> index = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Placeholder<TFloat32> value = tf.placeholder(TFloat32.class,
        Placeholder.shape(Shape.scalar()));
    List<Op> restoreOps = new ArrayList<>();
    for (ChannelGroups.Group layer : ChannelGroups.of(g.architecture()).prunable()) {
      long n = layer.channels();
      Variable<TFloat32> ind = tf.withName(prefix + "_" + layer.name() + "_keep").variable(
          init.fill(init.constant(new long[] {n}), init.constant(1f)));
      Variable<TFloat32> scale = tf.withName(prefix + "_" + layer.name() + "_scale").variable(
          init.constant(1f));
      prunable.put(layer.name(), layer);
      maskPoints(g.architecture(), layer).forEach(
          m -> maskPoints.computeIfAbsent(m, k -> new ArrayList<>()).add(layer.name()));
      indicators.put(layer.name(), ind);
      scales.put(layer.name(), scale);
      Operand<TFloat32> zeros = tf.fill(tf.constant(new long[] {n}), tf.constant(0f));
      Operand<TFloat32> ones = tf.fill(tf.constant(new long[] {n}), tf.constant(1f));
      resets.put(layer.name(), group(tf, List.of(tf.assign(ind, zeros),
          tf.assign(scale, tf.constant(1f)))));
      adds.put(layer.name(), tf.assign(ind, tf.math.add(ind,
          tf.oneHot(index, tf.constant((int) n), tf.constant(1f), tf.constant(0f)))));
      setScales.put(layer.name(), tf.assign(scale, value));
      restoreOps.add(tf.assign(ind, ones));
      restoreOps.add(tf.assign(scale, tf.constant(1f)));
    }
    Operand<TFloat32> logits = forward(tf, g, images(g), (layer, h) -> {
      for (String group : maskPoints.getOrDefault(layer.name(), List.of())) {
        h = tf.math.mul(h, placed(tf, tf.math.mul(indicators.get(group), scales.get(group)),
            prunable.get(group), layer));
      }
      return h;
    });
    Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    Operand<TFloat32> correct = tf.sum(tf.dtypes.cast(tf.math.equal(predicted, labels(g)),
        TFloat32.class), tf.constant(0));
    maskPoints.replaceAll((k, v) -> List.copyOf(v));
    return new SelectionGraph(g, ImmutableMap.copyOf(prunable), ImmutableMap.copyOf(maskPoints),
        ImmutableMap.copyOf(indicators),
        ImmutableMap.copyOf(scales), index, value, ImmutableMap.copyOf(resets),
        ImmutableMap.copyOf(adds), ImmutableMap.copyOf(setScales), group(tf, restoreOps), correct);
  }

  /**
   * Where the group's channels are masked: after each BatchNorm and depthwise member, and after
   * each producer unless only BatchNorms of the group read it (masking there too would apply the
   * scale twice).
   */
  static List<String> maskPoints(Architecture a, ChannelGroups.Group g) {
    List<String> out = new ArrayList<>();
    for (String p : g.producers()) {
      List<String> readers = a.consumers(p);
      if (readers.isEmpty() || !g.norms().containsAll(readers)) {
        out.add(p);
      }
    }
    out.addAll(g.norms());
    // A depthwise member's bias would bring a masked channel back.
    out.addAll(g.depthwise());
    return out;
  }

  /** Every indicator back to ones and every scale to 1: the original network. */
  void restore() {
    graph.run(restore);
  }

  /** Removes every filter of {@code layer} (indicator zeros, scale 1), to start a selection. */
  void reset(String layer) {
    graph.run(op(resets, layer));
  }

  /** Adds filter {@code filter} to the selected set of {@code layer}. */
  void add(String layer, int filter) {
    graph.run(null, List.of(new ScalarFeed(index, filter)), List.of(op(adds, layer)), List.of());
  }

  /** Sets the factor applied to the selected filters' output of {@code layer}. */
  void scale(String layer, double factor) {
    graph.run(null, List.of(new ScalarFeed(value, factor)), List.of(op(setScales, layer)),
        List.of());
  }

  /** Number of correct predictions of the masked network on the fed batch. */
  float correct(InputBatch batch) {
    return graph.run(batch, List.of(), List.of(correct))[0];
  }

  /**
   * Mean cross-entropy on the fed minibatch of the masked network in which {@code layer} keeps its
   * selected filters plus {@code candidates[k]}, all scaled by {@code scale}, for each {@code k};
   * one session run. {@code candidates.length} fixes the number of copies (ops are built once per
   * length).
   */
  float[] candidateLosses(String layer, int[] candidates, double scale, InputBatch batch) {
    CandidateOps ops = graph.extension(new CandidateKey(layer, candidates.length),
        b -> buildCandidates(b, layer, candidates.length));
    List<ScalarFeed> feeds = new ArrayList<>();
    for (int k = 0; k < candidates.length; k++) {
      feeds.add(new ScalarFeed(ops.candidates().get(k), candidates[k]));
    }
    feeds.add(new ScalarFeed(ops.scale(), scale));
    return graph.run(batch, feeds, List.of(), ops.losses());
  }

  private CandidateOps buildCandidates(GraphBuilder b, String target, int k) {
    Ops tf = b.tf();
    Architecture a = graph.architecture();
    ChannelGroups.Group group = prunable.get(target);
    int n = group.channels();
    List<Placeholder<TInt32>> candidates = new ArrayList<>();
    List<Operand<TInt32>> asOperands = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      Placeholder<TInt32> p = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      candidates.add(p);
      asOperands.add(p);
    }
    Placeholder<TFloat32> scale = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    // Row k: the selected set plus candidate k, times the scale: [K, N].
    Operand<TFloat32> masks = tf.math.mul(tf.math.add(indicators.get(target),
        tf.oneHot(tf.stack(asOperands), tf.constant(n), tf.constant(1f), tf.constant(0f))), scale);
    // The latest node that every path to the producers and to the output passes through, so
    // that everything after it sees the copies: the layer itself in a chain, the block's input
    // for a layer inside a residual block or a block joined with its projection shortcut.
    List<String> reached = new ArrayList<>(group.producers());
    reached.add(a.nodes().get(a.nodes().size() - 1).name());
    String tileAt = new Dominators(a).common(reached);
    Operand<TFloat32> x = images(graph);
    if (tileAt.equals(Architecture.INPUT)) {
      x = tile(tf, x, List.of(a.height(), a.width(), a.channels()), k);
    }
    Operand<TFloat32> logits = forward(tf, graph, x, (l, h) -> {
      if (l.name().equals(tileAt)) {
        h = tile(tf, h, l.outputShape(), k);
      }
      for (String owner : maskPoints.getOrDefault(l.name(), List.of())) {
        if (target.equals(owner)) {
          // [K, B, ...] * [K, 1, ..., C] -> [K B, ...], copy-major.
          int c = l.outputShape().get(l.outputShape().size() - 1);
          h = reshape(tf, tf.math.mul(reshape(tf, h, l.outputShape(), k),
              tf.reshape(placed(tf, masks, group, l), tf.constant(maskShape(l.outputShape(), k,
                  c)))), l.outputShape(), -1);
        } else {
          h = tf.math.mul(h, placed(tf, tf.math.mul(indicators.get(owner), scales.get(owner)),
              prunable.get(owner), l));
        }
      }
      return h;
    });
    int classes = a.numClasses();
    Operand<TInt32> tiledLabels = tf.tile(labels(graph), tf.constant(new int[] {k}));
    Operand<TFloat32> perExample = tf.nn.softmaxCrossEntropyWithLogits(logits,
        tf.oneHot(tiledLabels, tf.constant(classes), tf.constant(1f), tf.constant(0f))).loss();
    Operand<TFloat32> perCopy = tf.math.mean(tf.reshape(perExample, tf.constant(new long[] {k, -1})),
        tf.constant(1));
    List<Operand<TFloat32>> losses = new ArrayList<>(
        tf.unstack(perCopy, (long) k).output());
    return new CandidateOps(ImmutableList.copyOf(candidates), scale, ImmutableList.copyOf(losses));
  }

  /** {@code [B, dims]} to {@code [K B, dims]}, copy-major. */
  private static Operand<TFloat32> tile(Ops tf, Operand<TFloat32> h, List<Integer> dims, int k) {
    long[] multiples = new long[dims.size() + 2];
    Arrays.fill(multiples, 1);
    multiples[0] = k;
    return reshape(tf, tf.tile(tf.expandDims(h, tf.constant(0)), tf.constant(multiples)), dims,
        -1);
  }

  /** To {@code [lead, -1, dims]} when {@code lead > 0}, else to {@code [-1, dims]}. */
  private static Operand<TFloat32> reshape(Ops tf, Operand<TFloat32> h, List<Integer> dims,
      int lead) {
    int extra = lead > 0 ? 2 : 1;
    long[] shape = new long[dims.size() + extra];
    shape[0] = lead > 0 ? lead : -1;
    shape[extra - 1] = -1;
    for (int d = 0; d < dims.size(); d++) {
      shape[d + extra] = dims.get(d);
    }
    return tf.reshape(h, tf.constant(shape));
  }

  /**
   * {@code mask} ({@code [N]} or {@code [K, N]}, over the group's channels) widened to the last
   * axis of {@code layer}'s output with ones outside the group: the group's channels start at its
   * offset in the layer, which is past 0 after a concatenation.
   */
  private static Operand<TFloat32> placed(Ops tf, Operand<TFloat32> mask, ChannelGroups.Group g,
      Layer layer) {
    List<Integer> shape = layer.outputShape();
    int width = shape.get(shape.size() - 1);
    int offset = g.offsetIn(layer.name());
    if (offset == 0 && width == g.channels()) {
      return mask;
    }
    int rank = mask.shape().numDimensions();
    int[][] pads = new int[rank][2];
    pads[rank - 1] = new int[] {offset, width - offset - g.channels()};
    return tf.pad(mask, tf.constant(pads), tf.constant(1f));
  }

  /** {@code [K, 1, ..., 1, N]} for an activation of per-example shape {@code dims}. */
  private static long[] maskShape(List<Integer> dims, int k, int n) {
    long[] shape = new long[dims.size() + 2];
    Arrays.fill(shape, 1);
    shape[0] = k;
    shape[dims.size() + 1] = n;
    return shape;
  }

  /**
   * The inference forward pass of the model's architecture on its own variables (dropout off, no
   * final softmax), with {@code after} applied to the output of every node.
   */
  static Operand<TFloat32> forward(Ops tf, PrunableModel g, Operand<TFloat32> x,
      BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> after) {
    return Forward.passEach(tf, g.architecture(), x, g::variable, false, after).logits();
  }

  private static Op group(Ops tf, List<Op> ops) {
    return tf.withControlDependencies(ops).noOp();
  }

  private static Op op(Map<String, Op> ops, String layer) {
    Op op = ops.get(layer);
    checkState(op != null, "%s is not a prunable layer", layer);
    return op;
  }

  private static Operand<TFloat32> images(PrunableModel g) {
    return g.images();
  }

  private static Operand<TInt32> labels(PrunableModel g) {
    return g.labels();
  }
}
