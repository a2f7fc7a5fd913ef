package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.fwprune.core.model.Layer;
import org.fwprune.core.runtime.Forward;
import org.fwprune.core.runtime.InputBatch;
import org.fwprune.core.runtime.ModelGraph;
import org.fwprune.core.runtime.ScalarFeed;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Graph ops, added to a model's own graph, that evaluate the model with some filters removed,
 * without touching its weights. Every prunable layer gets a 0/1 indicator variable over its filters
 * and a scale; the masked forward pass multiplies the layer's output (after the bias) by
 * {@code indicator * scale}, which for a 0 entry equals zeroing that filter's kernel and bias.
 *
 * <p>{@link #candidateLosses} scores {@code K} candidate filters of one layer in a single session
 * run: the layers before it run once on the minibatch, its output is tiled {@code K} times with
 * candidate {@code k}'s mask (the selected set plus filter {@code k}) on copy {@code k}, and the
 * rest of the network runs on the {@code K B} examples; the per-example cross-entropy is averaged
 * per copy. Built once per model (and per layer and {@code K}) through {@link ModelGraph#extension}.
 */
final class SelectionGraph {

  private final ModelGraph graph;
  private final Map<String, Layer> prunable;
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

  private SelectionGraph(ModelGraph graph, Map<String, Layer> prunable,
      Map<String, Variable<TFloat32>> indicators, Map<String, Variable<TFloat32>> scales,
      Placeholder<TInt32> index, Placeholder<TFloat32> value, Map<String, Op> resets,
      Map<String, Op> adds, Map<String, Op> setScales, Op restore, Operand<TFloat32> correct) {
    this.graph = graph;
    this.prunable = prunable;
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
  static SelectionGraph of(ModelGraph graph) {
    return graph.extension(new Key(), () -> build(graph));
  }

  private static SelectionGraph build(ModelGraph g) {
    Ops tf = g.tf();
    Ops init = tf.withInitScope();
    String prefix = g.uniqueName("structured");
    Map<String, Layer> prunable = new LinkedHashMap<>();
    Map<String, Variable<TFloat32>> indicators = new LinkedHashMap<>();
    Map<String, Variable<TFloat32>> scales = new LinkedHashMap<>();
    Map<String, Op> resets = new HashMap<>();
    Map<String, Op> adds = new HashMap<>();
    Map<String, Op> setScales = new HashMap<>();
    Placeholder<TInt32> index = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Placeholder<TFloat32> value = tf.placeholder(TFloat32.class,
        Placeholder.shape(Shape.scalar()));
    List<Op> restoreOps = new ArrayList<>();
    for (Layer layer : FilterSurgery.prunableLayers(g.architecture())) {
      long n = layer.biasSize();
      Variable<TFloat32> ind = tf.withName(prefix + "_" + layer.name() + "_keep").variable(
          init.fill(init.constant(new long[] {n}), init.constant(1f)));
      Variable<TFloat32> scale = tf.withName(prefix + "_" + layer.name() + "_scale").variable(
          init.constant(1f));
      prunable.put(layer.name(), layer);
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
      Variable<TFloat32> ind = indicators.get(layer.name());
      return ind == null ? h : tf.math.mul(h, tf.math.mul(ind, scales.get(layer.name())));
    });
    Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    Operand<TFloat32> correct = tf.sum(tf.dtypes.cast(tf.math.equal(predicted, labels(g)),
        TFloat32.class), tf.constant(0));
    return new SelectionGraph(g, ImmutableMap.copyOf(prunable), ImmutableMap.copyOf(indicators),
        ImmutableMap.copyOf(scales), index, value, ImmutableMap.copyOf(resets),
        ImmutableMap.copyOf(adds), ImmutableMap.copyOf(setScales), group(tf, restoreOps), correct);
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
        () -> buildCandidates(layer, candidates.length));
    List<ScalarFeed> feeds = new ArrayList<>();
    for (int k = 0; k < candidates.length; k++) {
      feeds.add(new ScalarFeed(ops.candidates().get(k), candidates[k]));
    }
    feeds.add(new ScalarFeed(ops.scale(), scale));
    return graph.run(batch, feeds, List.of(), ops.losses());
  }

  private CandidateOps buildCandidates(String target, int k) {
    Ops tf = graph.tf();
    Layer layer = prunable.get(target);
    int n = (int) layer.biasSize();
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
    List<Integer> dims = layer.outputShape();
    long[] maskShape = new long[dims.size() + 2];
    long[] tiledShape = new long[dims.size() + 1];
    maskShape[0] = k;
    tiledShape[0] = -1;
    for (int d = 0; d < dims.size(); d++) {
      maskShape[d + 1] = 1;
      tiledShape[d + 1] = dims.get(d);
    }
    maskShape[dims.size() + 1] = n;
    Operand<TFloat32> maskRows = tf.reshape(masks, tf.constant(maskShape));
    Operand<TFloat32> logits = forward(tf, graph, images(graph), (l, h) -> {
      if (l.name().equals(target)) {
        // [1, B, ...] * [K, 1, ..., N] -> [K, B, ...] -> [K B, ...], copy-major.
        return tf.reshape(tf.math.mul(tf.expandDims(h, tf.constant(0)), maskRows),
            tf.constant(tiledShape));
      }
      Variable<TFloat32> ind = indicators.get(l.name());
      return ind == null ? h : tf.math.mul(h, tf.math.mul(ind, scales.get(l.name())));
    });
    int classes = graph.architecture().numClasses();
    Operand<TInt32> tiledLabels = tf.tile(labels(graph), tf.constant(new int[] {k}));
    Operand<TFloat32> perExample = tf.nn.softmaxCrossEntropyWithLogits(logits,
        tf.oneHot(tiledLabels, tf.constant(classes), tf.constant(1f), tf.constant(0f))).loss();
    Operand<TFloat32> perCopy = tf.math.mean(tf.reshape(perExample, tf.constant(new long[] {k, -1})),
        tf.constant(1));
    List<Operand<TFloat32>> losses = new ArrayList<>(
        tf.unstack(perCopy, (long) k).output());
    return new CandidateOps(ImmutableList.copyOf(candidates), scale, ImmutableList.copyOf(losses));
  }

  /**
   * The inference forward pass of the model's architecture on its own variables (dropout off, no
   * final softmax), with {@code after} applied to the output of every weighted layer after its bias.
   */
  static Operand<TFloat32> forward(Ops tf, ModelGraph g, Operand<TFloat32> x,
      BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> after) {
    return Forward.pass(tf, g.architecture(), x, g::variable, false, after).logits();
  }

  private static Op group(Ops tf, List<Op> ops) {
    return tf.withControlDependencies(ops).noOp();
  }

  private static Op op(Map<String, Op> ops, String layer) {
    Op op = ops.get(layer);
    checkState(op != null, "%s is not a prunable layer", layer);
    return op;
  }

  private static Operand<TFloat32> images(ModelGraph g) {
    return g.images();
  }

  private static Operand<TInt32> labels(ModelGraph g) {
    return g.labels();
  }
}
