package org.fwprune.core.runtime;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.framework.initializers.RandomUniform;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The single owner of a model's TensorFlow {@link Graph} and {@link Session}: it builds the
 * variables, the training and inference forward passes, the loss and the metrics, and runs them.
 *
 * <p>Extension modules (training, pruning) add their own ops through {@link #tf()} and cache them
 * with {@link #extension}; every run goes through this class, so no tensor leaves it. Masks are
 * graph variables (ones until a pruner sets them); {@link #maskWeightsOp()} multiplies every kernel
 * by its mask, and training runs it after each update so pruned weights stay exactly zero while
 * the inference graph pays nothing for them.
 */
public final class ModelGraph implements AutoCloseable {

  /** Variables of one layer that has weights. */
  public record WeightedLayer(Layer layer, Variable<TFloat32> kernel, Variable<TFloat32> bias,
      Variable<TFloat32> mask) {}

  /** Thread settings of the session; 0 lets TensorFlow use every core. */
  public record Threads(int intraOp, int interOp) {
    /** Checks that counts are non-negative. */
    public Threads {
      checkArgument(intraOp >= 0 && intraOp <= 1024, "intra-op threads must be in [0, 1024], got %s", intraOp);
      checkArgument(interOp >= 0 && interOp <= 1024, "inter-op threads must be in [0, 1024], got %s", interOp);
    }
  }

  private final Architecture architecture;
  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final List<WeightedLayer> weighted;
  private final Map<String, Variable<TFloat32>> variables;
  private final Map<String, Assigner> assigners = new HashMap<>();
  private final Operand<TFloat32> trainLoss;
  private final Operand<TFloat32> trainCorrect;
  private final Operand<TFloat32> output;
  private final Operand<TFloat32> lossSum;
  private final Operand<TFloat32> correct;
  private final Op maskWeights;
  private final Map<Object, Object> extensions = new HashMap<>();
  private final ReentrantLock exclusive = new ReentrantLock();
  private volatile boolean closed;
  private volatile boolean masksActive;
  private int uniqueNames;

  /** Exclusive use of the model, released by {@link #close()}. */
  @FunctionalInterface
  public interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  private record Assigner(Placeholder<TFloat32> value, Op assign) {}

  /** Builds the graph of {@code architecture} and initialises its variables. */
  public ModelGraph(Architecture architecture, Threads threads) {
    this.architecture = architecture;
    this.graph = new Graph();
    try {
      this.tf = Ops.create(graph);
      this.images = tf.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Forward.inputShape(architecture)));
      this.labels = tf.withName("labels").placeholder(TInt32.class,
          Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE)));
      List<WeightedLayer> layers = new ArrayList<>();
      Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
      long seed = architecture.seed();
      int index = 0;
      for (Layer layer : architecture.weightedLayers()) {
        // Flat op names: the framework's optimizers derive slot names from the variable's op
        // name and reject '/'.
        Ops init0 = tf.withInitScope();
        long[] kernelDims = layer.kernelShape().stream().mapToLong(Long::longValue).toArray();
        // Glorot uniform (Glorot and Bengio 2010), limit sqrt(6 / (fan_in + fan_out)). The
        // framework's Glorot class computes the fans of HWIO conv kernels wrongly (limit 0.015
        // instead of 0.083 for the paper's conv2d_2), so the limit is computed here from the
        // layer and drawn with the framework's RandomUniform. Each layer gets its own
        // deterministic stream derived from the model seed.
        double limit = Math.sqrt(6.0 / (layer.fanIn() + layer.fanOut()));
        RandomUniform<TFloat32> init = new RandomUniform<>(-limit, limit,
            seed * 1_000_003L + index++);
        Variable<TFloat32> kernel = tf.withName(layer.name() + "_kernel").variable(
            init.call(init0, init0.constant(kernelDims), TFloat32.class));
        Variable<TFloat32> bias = tf.withName(layer.name() + "_bias").variable(
            init0.zeros(init0.constant(new long[] {layer.biasSize()}), TFloat32.class));
        Variable<TFloat32> mask = tf.withName(layer.name() + "_mask").variable(
            init0.fill(init0.constant(kernelDims), init0.constant(1f)));
        layers.add(new WeightedLayer(layer, kernel, bias, mask));
        vars.put(layer.kernelKey(), kernel);
        vars.put(layer.biasKey(), bias);
        vars.put(maskKey(layer), mask);
      }
      this.weighted = ImmutableList.copyOf(layers);
      this.variables = ImmutableMap.copyOf(vars);
      Map<Layer, Forward.Weights> byLayer = new HashMap<>();
      for (WeightedLayer w : weighted) {
        byLayer.put(w.layer(), new Forward.Weights(w.kernel(), w.bias()));
      }
      Operand<TFloat32> trainLogits = Forward.logits(tf.withSubScope("train"), architecture,
          images, byLayer::get, true);
      Operand<TFloat32> logits = Forward.logits(tf.withSubScope("infer"), architecture, images,
          byLayer::get, false);
      int classes = architecture.numClasses();
      Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(classes), tf.constant(1f),
          tf.constant(0f));
      this.trainLoss = tf.withName("train_loss").math.mean(
          tf.nn.softmaxCrossEntropyWithLogits(trainLogits, oneHot).loss(), tf.constant(0));
      this.trainCorrect = correctCount(trainLogits);
      this.lossSum = tf.sum(tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss(),
          tf.constant(0));
      this.correct = correctCount(logits);
      this.output = architecture.endsWithSoftmax()
          ? tf.withName("probabilities").nn.softmax(logits) : tf.withName("scores").identity(logits);
      List<Op> maskOps = new ArrayList<>();
      for (WeightedLayer w : weighted) {
        maskOps.add(tf.assign(w.kernel(), tf.math.mul(w.kernel(), w.mask())));
      }
      this.maskWeights = tf.withControlDependencies(maskOps).noOp();
      this.session = new Session(graph, config(threads));
      session.initialize();
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  private Operand<TFloat32> correctCount(Operand<TFloat32> logits) {
    Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    return tf.sum(tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class),
        tf.constant(0));
  }

  private static ConfigProto config(Threads threads) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads.intraOp())
        .setInterOpParallelismThreads(threads.interOp())
        .build();
  }

  /** Key of a layer's mask in {@link #variable}: {@code <layer>/mask}. */
  public static String maskKey(Layer layer) {
    return layer.name() + "/mask";
  }

  /** The architecture this graph was built from. */
  public Architecture architecture() {
    return architecture;
  }

  /** Op builder on this graph, for extension modules that add ops. */
  public Ops tf() {
    ensureOpen();
    return tf;
  }

  /** The graph, for extension modules (gradients, optimizers). */
  public Graph graph() {
    ensureOpen();
    return graph;
  }

  /** The placeholder fed with a batch's images ({@code [batch, h, w, c]} float32). */
  public Operand<TFloat32> images() {
    return images;
  }

  /** The placeholder fed with a batch's labels ({@code [batch]} int32). */
  public Operand<TInt32> labels() {
    return labels;
  }

  /** Layers with weights, in order, with their kernel, bias and mask variables. */
  public List<WeightedLayer> weightedLayers() {
    return weighted;
  }

  /** Variable by key ({@code <layer>/kernel}, {@code <layer>/bias} or {@code <layer>/mask}). */
  public Variable<TFloat32> variable(String key) {
    Variable<TFloat32> v = variables.get(key);
    checkArgument(v != null, "no variable %s; known: %s", key, variables.keySet());
    return v;
  }

  /** Keys of every variable (kernels, biases, masks) in layer order. */
  public List<String> variableKeys() {
    return ImmutableList.copyOf(variables.keySet());
  }

  /** Mean cross-entropy of the training forward pass (dropout active) on the fed batch. */
  public Operand<TFloat32> trainLoss() {
    return trainLoss;
  }

  /** Number of correct predictions of the training forward pass on the fed batch. */
  public Operand<TFloat32> trainCorrect() {
    return trainCorrect;
  }

  /** Sum of per-example cross-entropy of the inference forward pass on the fed batch. */
  public Operand<TFloat32> lossSum() {
    return lossSum;
  }

  /** Number of correct predictions of the inference forward pass on the fed batch. */
  public Operand<TFloat32> correct() {
    return correct;
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
    return maskWeights;
  }

  /**
   * Returns the ops an extension registered under {@code key}, building them on first use, so
   * repeated calls (e.g. one train step per optimizer setting) do not grow the graph.
   */
  @SuppressWarnings("unchecked")
  public synchronized <T> T extension(Object key, Supplier<T> builder) {
    ensureOpen();
    Object value = extensions.get(key);
    if (value == null) {
      value = builder.get();
      extensions.put(key, value);
      session.initialize();
    }
    return (T) value;
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

  /** A name not used before in this graph, for ops or optimizers that need one. */
  public synchronized String uniqueName(String prefix) {
    return prefix + "_" + (++uniqueNames);
  }

  /**
   * Runs {@code targets} on a batch and returns the scalar values of {@code fetches}.
   *
   * @param batch the fed images and labels, or null when the ops need no input
   */
  public float[] run(InputBatch batch, List<? extends Op> targets,
      List<? extends Operand<TFloat32>> fetches) {
    return run(batch, List.of(), targets, fetches);
  }

  /**
   * Runs {@code targets} with a batch and scalar values fed to placeholders, and returns the
   * scalar values of {@code fetches}.
   */
  public float[] run(InputBatch batch, List<ScalarFeed> feeds, List<? extends Op> targets,
      List<? extends Operand<TFloat32>> fetches) {
    ensureOpen();
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      if (batch != null) {
        runner.feed(images, batch.images()).feed(labels, batch.labels());
      }
      for (ScalarFeed f : feeds) {
        Tensor t = f.tensor();
        fed.add(t);
        runner.feed(f.target(), t);
      }
      targets.forEach(runner::addTarget);
      fetches.forEach(runner::fetch);
      try (Result result = runner.run()) {
        float[] values = new float[fetches.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = ((TFloat32) result.get(i)).getFloat();
        }
        return values;
      }
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /** Runs one op with no inputs. */
  public void run(Op target) {
    run(null, List.of(target), List.of());
  }

  /** Returns the model output (probabilities, or scores without a final softmax) for a batch, row-major. */
  public float[] predict(InputBatch batch) {
    ensureOpen();
    try (Result result = session.runner().feed(images, batch.images()).fetch(output).run()) {
      return copy((TFloat32) result.get(0));
    }
  }

  /** Copies the current value of a variable into a new array. */
  public float[] read(String key) {
    return readAll(List.of(key)).get(key);
  }

  /** Copies the current values of several variables, in one session run. */
  public Map<String, float[]> readAll(List<String> keys) {
    ensureOpen();
    Session.Runner runner = session.runner();
    keys.forEach(k -> runner.fetch(variable(k)));
    try (Result result = runner.run()) {
      Map<String, float[]> out = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        out.put(keys.get(i), copy((TFloat32) result.get(i)));
      }
      return out;
    }
  }

  /** Overwrites a variable with {@code values}, which must have exactly its number of entries. */
  public void write(String key, float[] values) {
    ensureOpen();
    Variable<TFloat32> v = variable(key);
    if (key.endsWith("/mask") && !masksActive) {
      for (float m : values) {
        if (m != 1f) {
          activateMasks();
          break;
        }
      }
    }
    Shape shape = v.shape();
    checkArgument(values.length == shape.size(),
        "%s has %s entries %s, got %s values", key, shape.size(), shape, values.length);
    Assigner assigner = assigner(key, v);
    try (TFloat32 t = TFloat32.tensorOf(shape)) {
      t.asRawTensor().data().asFloats().write(values);
      session.runner().feed(assigner.value(), t).addTarget(assigner.assign()).run().close();
    }
  }

  private synchronized Assigner assigner(String key, Variable<TFloat32> v) {
    return assigners.computeIfAbsent(key, k -> {
      Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(v.shape()));
      return new Assigner(p, tf.assign(v, p));
    });
  }

  private static float[] copy(TFloat32 t) {
    float[] values = new float[Math.toIntExact(t.size())];
    t.asRawTensor().data().asFloats().read(values);
    return values;
  }

  /**
   * Takes exclusive use of the model for a run that changes weights (training, pruning); a second
   * concurrent run is refused rather than interleaving updates.
   *
   * @param what the caller's activity, used in the refusal message
   */
  public Lease exclusive(String what) {
    ensureOpen();
    if (!exclusive.tryLock()) {
      throw new IllegalStateException(
          "cannot " + what + ": the model is already being trained or pruned by another thread");
    }
    return exclusive::unlock;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the model has been closed");
    }
  }

  /** Whether {@link #close()} has run. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      session.close();
      graph.close();
    }
  }
}
