package org.fwprune.core.runtime.internal;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.runtime.ExecutionOptions;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A model as a running TensorFlow graph: its variables ({@link ModelVariables}), the training and
 * inference passes with loss and metrics ({@link ModelOps}), and the session that runs them
 * ({@link ModelSession}).
 *
 * <p>Extension modules (training, pruning) add their own ops only through {@link #extension},
 * which builds them once per key while no other thread runs the graph; every run goes through
 * this class, so no tensor leaves it. Masks are graph variables (ones until a pruner sets them);
 * {@link #maskWeightsOp()} multiplies every kernel by its mask, and training runs it after each
 * update so pruned weights stay exactly zero while the inference graph pays nothing for them.
 */
public final class ModelGraph implements PrunableModel, AutoCloseable {

  /** A layer with a kernel, with its kernel and mask variables: what pruners prune. */
  public record WeightedLayer(Layer layer, Variable<TFloat32> kernel, Variable<TFloat32> mask) {}

  /** Exclusive use of the model, released by {@link #close()}. */
  @FunctionalInterface
  public interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  private final Architecture architecture;
  private final ExecutionOptions options;
  private final ModelSession session;
  private final ModelVariables variables;
  private final ModelOps ops;
  private final Map<Object, Object> extensions = new HashMap<>();
  private final ReentrantLock exclusive = new ReentrantLock();
  private volatile boolean masksActive;
  private int uniqueNames;

  /**
   * Builds the graph of {@code architecture} to run as {@code options} say (threads, precision,
   * XLA) and initialises its variables.
   *
   * @throws IllegalArgumentException if the variables would exceed {@code maxVariableBytes}
   */
  public ModelGraph(Architecture architecture, ExecutionOptions options, long maxVariableBytes) {
    checkArgument(options != null, "execution options must not be null");
    MemoryBudget.check(architecture, maxVariableBytes);
    this.architecture = architecture;
    this.options = options;
    ModelSession.Opened<ModelOps> opened = ModelSession.open(options,
        tf -> ModelOps.build(tf, architecture, ModelVariables.create(tf, architecture),
            options.precision()));
    this.session = opened.session();
    this.ops = opened.built();
    this.variables = ops.variables();
  }

  /**
   * Key in {@link #variable} of the number of BatchNorm statistics updates so far (a float32
   * vector of one entry), present when some BatchNorm debiases its statistics; layer names cannot
   * start with '_', so it never collides with a layer's key.
   */
  public static final String STATISTICS_UPDATES_KEY = "_batchnorm/updates";

  /** An update count past any warm-up: debiasing then changes nothing. */
  private static final float SETTLED_UPDATES = 1e9f;

  /** Key of a layer's mask in {@link #variable}: {@code <layer>/mask}. */
  public static String maskKey(Layer layer) {
    return layer.name() + "/mask";
  }

  /** The architecture this graph was built from. */
  public Architecture architecture() {
    return architecture;
  }

  /** How this graph runs: threads, precision, XLA. */
  public ExecutionOptions executionOptions() {
    return options;
  }

  /** The placeholder fed with a batch's images ({@code [batch, h, w, c]} float32). */
  public Operand<TFloat32> images() {
    return ops.images();
  }

  /** The placeholder fed with a batch's labels ({@code [batch]} int32). */
  public Operand<org.tensorflow.types.TInt32> labels() {
    return ops.labels();
  }

  /** Layers with kernels, in order, with their kernel and mask variables. */
  public List<WeightedLayer> weightedLayers() {
    return variables.weighted();
  }

  /** Variable by key ({@code <layer>/kernel}, {@code /bias}, {@code /gamma}, ..., {@code /mask}). */
  public Variable<TFloat32> variable(String key) {
    return variables.variable(key);
  }

  /** Keys of every variable (layer tensors and masks) in layer order. */
  public List<String> variableKeys() {
    return variables.keys();
  }

  /** The variables that gradient steps train (kernels, biases, BatchNorm gammas and betas). */
  public List<Variable<TFloat32>> trainableVariables() {
    return variables.trainable();
  }

  /** Mean cross-entropy of the training forward pass (dropout active) on the fed batch. */
  public Operand<TFloat32> trainLoss() {
    return ops.trainLoss();
  }

  /** Number of correct predictions of the training forward pass on the fed batch. */
  public Operand<TFloat32> trainCorrect() {
    return ops.trainCorrect();
  }

  /** Sum of per-example cross-entropy of the inference forward pass on the fed batch. */
  public Operand<TFloat32> lossSum() {
    return ops.lossSum();
  }

  /** Number of correct predictions of the inference forward pass on the fed batch. */
  public Operand<TFloat32> correct() {
    return ops.correct();
  }

  /**
   * Op that moves every BatchNorm's moving mean and variance towards the fed batch's statistics
   * (a no-op without BatchNorm). Every training step, whatever updates the weights, runs it with
   * the step, as Keras does in training mode.
   */
  public Op updateStatisticsOp() {
    return ops.updateStatistics();
  }

  /** Whether the model has at least one BatchNorm layer, i.e. moving statistics to update. */
  public boolean hasBatchNorm() {
    return architecture.hasBatchNorm();
  }

  /**
   * Moves every BatchNorm's moving mean and variance towards the statistics of {@code batch}
   * under the training pass: {@code moving -= (moving - batch) * rate}. Weights do not change.
   *
   * @param rate in (0, 1]; 1 replaces the moving statistics by the batch's
   */
  public void updateStatistics(InputBatch batch, double rate) {
    Require.inOpenClosed("statistics rate", rate, 0, 1);
    run(batch, List.of(new ScalarFeed(ops.statisticsRate(), rate)),
        List.of(ops.recalibrateStatistics()), List.of());
  }

  /**
   * Marks the moving statistics as warmed up, so that further training moves them at each
   * BatchNorm's momentum ({@link org.fwprune.core.model.LayerSpec.BatchNorm}); a no-op for a
   * model without debiasing.
   */
  public void settleStatistics() {
    if (variables.keys().contains(STATISTICS_UPDATES_KEY)) {
      write(STATISTICS_UPDATES_KEY, new float[] {SETTLED_UPDATES});
    }
  }

  /**
   * Whether some debiasing BatchNorm's moving statistics are still warming up: they have moved
   * fewer times than it takes the debiased decay to reach the layer's momentum, so they average
   * over a short, recent stretch of training ({@link org.fwprune.core.model.LayerSpec.BatchNorm}).
   */
  public boolean statisticsWarmingUp() {
    if (!variables.keys().contains(STATISTICS_UPDATES_KEY)) {
      return false;
    }
    double updates = read(STATISTICS_UPDATES_KEY)[0];
    return architecture.layers().stream().anyMatch(s -> s instanceof LayerSpec.BatchNorm b
        && b.warmingUp(updates));
  }

  /**
   * Whether any mask may hold a zero: set once a mask is written or a pruner declares it will
   * write masks, and never cleared. Until then training skips the mask multiply, so a dense model
   * trains at the speed of a plain loop.
   */
  public boolean masksActive() {
    return masksActive;
  }

  /** Declares that masks are (or are about to be) in use; training then keeps them applied. */
  public void activateMasks() {
    masksActive = true;
  }

  /** Op that multiplies every kernel by its mask. */
  public Op maskWeightsOp() {
    return ops.maskWeights();
  }

  /**
   * Returns the ops an extension registered under {@code key}, building them on first use, so
   * repeated calls (e.g. one train step per optimizer kind) do not grow the graph. The builder
   * runs while no other thread runs the graph and adds ops through the {@link GraphBuilder} it is
   * given, which stops working when it returns. Keys must identify the ops' structure, never
   * values that change from run to run (feed those).
   */
  @Override
  @SuppressWarnings("unchecked")
  public synchronized <T> T extension(Object key, Function<GraphBuilder, T> builder) {
    Object value = extensions.get(key);
    if (value == null) {
      GraphBuilder ops = new GraphBuilder(session, this);
      try {
        value = session.extend(() -> builder.apply(ops));
      } finally {
        ops.finish();
      }
      extensions.put(key, value);
    }
    return (T) value;
  }

  /**
   * The running graph behind {@code model}, the only implementation of the sealed {@link
   * PrunableModel}. The engine's access point: {@code Cnn} hands its graph out only as a {@code
   * PrunableModel} ({@code Cnn.prunable()}), and the library's own training, tests and benchmarks
   * that need the whole graph come through here. This package is not exported to users.
   */
  public static ModelGraph of(PrunableModel model) {
    checkArgument(model != null, "model must not be null");
    return (ModelGraph) model;
  }

  /** Number of ops in the graph: constant across runs once every extension is built. */
  public long opCount() {
    return session.opCount();
  }

  /**
   * Checks that {@code data} fits the model's input and output; the message names both shapes.
   *
   * @param role how the caller uses the data, e.g. "training data"
   */
  public void checkCompatible(Dataset data, String role) {
    checkArgument(data != null, "%s must not be null", role);
    Architecture a = architecture;
    checkArgument(data.height() == a.height() && data.width() == a.width()
            && data.channels() == a.channels(),
        "%s has %sx%sx%s images but the model expects %s", role, data.height(), data.width(),
        data.channels(), a.inputShapeText());
    checkArgument(data.numClasses() <= a.numClasses(),
        "%s has %s classes but the model outputs %s", role, data.numClasses(), a.numClasses());
  }

  /** A name not used before in this graph, for ops that need one ({@link GraphBuilder}). */
  synchronized String uniqueName(String prefix) {
    return prefix + "_" + (++uniqueNames);
  }

  /**
   * Runs {@code targets} with a batch and scalar values fed to placeholders, and returns the
   * scalar values of {@code fetches}. The shorter {@code run} overloads are {@link
   * PrunableModel}'s defaults over this one.
   */
  @Override
  public float[] run(InputBatch batch, List<ScalarFeed> feeds, List<? extends Op> targets,
      List<? extends Operand<TFloat32>> fetches) {
    List<Tensor> fed = new ArrayList<>();
    try {
      return session.run(runner -> {
        if (batch != null) {
          runner.feed(ops.images(), batch.images()).feed(ops.labels(), batch.labels());
        }
        for (ScalarFeed f : feeds) {
          Tensor t = f.tensor();
          fed.add(t);
          runner.feed(f.target(), t);
        }
        targets.forEach(runner::addTarget);
        fetches.forEach(runner::fetch);
        return runner.run();
      }, result -> {
        float[] values = new float[fetches.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = ((TFloat32) result.get(i)).getFloat();
        }
        return values;
      });
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /** Returns the model output (probabilities, or scores without a final softmax) for a batch, row-major. */
  public float[] predict(InputBatch batch) {
    return session.run(runner -> runner.feed(ops.images(), batch.images()).fetch(ops.output())
        .run(), result -> ModelVariables.copy((TFloat32) result.get(0)));
  }

  /** Copies the current value of a variable into a new array. */
  public float[] read(String key) {
    return readAll(List.of(key)).get(key);
  }

  /** Copies the current values of several variables, in one session run. */
  public Map<String, float[]> readAll(List<String> keys) {
    List<Variable<TFloat32>> vars = keys.stream().map(variables::variable).toList();
    return session.run(runner -> {
      vars.forEach(runner::fetch);
      return runner.run();
    }, result -> {
      Map<String, float[]> out = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        out.put(keys.get(i), ModelVariables.copy((TFloat32) result.get(i)));
      }
      return out;
    });
  }

  /** Overwrites a variable with {@code values}, which must have exactly its number of entries. */
  public void write(String key, float[] values) {
    writeAll(Map.of(key, values));
  }

  /**
   * Overwrites several variables, each with exactly its number of entries. Every key and length is
   * checked before anything is written, so a refused call changes nothing.
   *
   * <p>Why in few session runs: each run with a new set of feeds and targets makes TensorFlow
   * prune the graph and build an executor for it, at a cost that grows with the graph. One run per
   * variable made loading a 150-layer Keras model quadratic (seconds for a 600 KB miniature,
   * minutes for ResNet-101). Runs are split only to bound the native memory the fed tensors hold at once.
   */
  public void writeAll(Map<String, float[]> values) {
    List<String> keys = new ArrayList<>(values.keySet());
    List<ModelVariables.Assigner> assigners = new ArrayList<>(keys.size());
    for (String key : keys) {
      ModelVariables.Assigner assigner = variables.assigner(key);
      assigner.checkLength(key, values.get(key));
      assigners.add(assigner);
    }
    if (!masksActive
        && keys.stream().anyMatch(k -> k.endsWith("/mask") && !allOnes(values.get(k)))) {
      activateMasks();
    }
    int from = 0;
    while (from < keys.size()) {
      long bytes = 0;
      int to = from;
      while (to < keys.size() && (to == from || bytes + 4L * values.get(keys.get(to)).length
          <= MAX_FED_BYTES)) {
        bytes += 4L * values.get(keys.get(to)).length;
        to++;
      }
      writeRun(keys.subList(from, to), assigners.subList(from, to), values);
      from = to;
    }
  }

  /** Largest total size of the tensors one {@link #writeAll} run feeds: 256 MiB. */
  private static final long MAX_FED_BYTES = 256L << 20;

  private void writeRun(List<String> keys, List<ModelVariables.Assigner> assigners,
      Map<String, float[]> values) {
    List<TFloat32> tensors = new ArrayList<>(keys.size());
    try {
      for (int i = 0; i < keys.size(); i++) {
        tensors.add(assigners.get(i).tensorOf(keys.get(i), values.get(keys.get(i))));
      }
      session.run(runner -> {
        for (int i = 0; i < keys.size(); i++) {
          runner.feed(assigners.get(i).value(), tensors.get(i))
              .addTarget(assigners.get(i).assign());
        }
        return runner.run();
      }, result -> null);
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  private static boolean allOnes(float[] values) {
    for (float v : values) {
      if (v != 1f) {
        return false;
      }
    }
    return true;
  }

  /**
   * Takes exclusive use of the model for a run that changes weights (training, pruning); a second
   * concurrent run is refused rather than interleaving updates.
   *
   * @param what the caller's activity, used in the refusal message
   */
  public Lease exclusive(String what) {
    if (session.isClosed()) {
      throw new IllegalStateException("the model has been closed");
    }
    if (!exclusive.tryLock()) {
      throw new IllegalStateException(
          "cannot " + what + ": the model is already being trained or pruned by another thread");
    }
    return exclusive::unlock;
  }

  /** Whether {@link #close()} has run. */
  public boolean isClosed() {
    return session.isClosed();
  }

  @Override
  public void close() {
    session.close();
  }
}
