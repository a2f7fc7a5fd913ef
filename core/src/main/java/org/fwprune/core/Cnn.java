package org.fwprune.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.BatchPredictor;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.eval.internal.Evaluator;
import org.fwprune.core.keras.KerasLimits;
import org.fwprune.core.keras.internal.KerasExport;
import org.fwprune.core.keras.internal.KerasFile;
import org.fwprune.core.keras.internal.KerasImport;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.model.ModelSummary;
import org.fwprune.core.onnx.internal.OnnxExport;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.runtime.Precision;
import org.fwprune.core.runtime.internal.MemoryBudget;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.PrunableModel;
import org.fwprune.core.runtime.internal.SavedModelWriter;
import org.fwprune.core.runtime.internal.SessionPredictor;
import org.fwprune.core.serving.ImageShape;
import org.fwprune.core.serving.Predictor;
import org.fwprune.core.serving.PredictorEngine;
import org.fwprune.core.serving.ServingModel;
import org.fwprune.core.store.ModelStore;
import org.fwprune.core.train.History;
import org.fwprune.core.train.Training;
import org.fwprune.core.train.internal.BatchNormRecalibration;
import org.fwprune.core.train.internal.TrainingLoop;

/**
 * A convolutional network defined with a fluent builder and run as a TensorFlow graph: train it
 * with {@link #fit}, measure it with {@link #evaluate}, read its weights, copy, save, load and
 * export it. Holds native memory: close it (try-with-resources).
 *
 * <pre>{@code
 * try (Cnn model = Cnn.builder().input(28, 28, 1)
 *     .conv2d(32, 3).relu().maxPool(2).conv2d(64, 3).relu().maxPool(2)
 *     .flatten().dropout(0.5).dense(10).softmax().seed(42).build()) {
 *   model.fit(train, Training.builder().optimizer(Optimizers.sgd(0.05)).epochs(2).build());
 *   System.out.println(model.evaluate(test));
 * }
 * }</pre>
 *
 * <p>Evaluation and prediction may run from several threads at once; {@code fit} and pruning take
 * exclusive use and refuse to run concurrently with each other.
 */
public final class Cnn implements AutoCloseable, BatchPredictor {

  /** Input name of the serving signature that {@link #exportSavedModel} writes. */
  public static final String SAVED_MODEL_INPUT = SavedModelWriter.INPUT;
  /** Output name of the serving signature that {@link #exportSavedModel} writes. */
  public static final String SAVED_MODEL_OUTPUT = SavedModelWriter.OUTPUT;
  /** ONNX operator set that {@link #exportOnnx} writes. */
  public static final int ONNX_OPSET = OnnxExport.OPSET;
  /** Input name of the ONNX graph that {@link #exportOnnx} writes. */
  public static final String ONNX_INPUT = OnnxExport.INPUT;
  /** Output name of the ONNX graph that {@link #exportOnnx} writes. */
  public static final String ONNX_OUTPUT = OnnxExport.OUTPUT;

  private final ModelGraph graph;
  private final ExecutionOptions execution;
  private final long maxVariableBytes;

  private Cnn(Architecture architecture, ExecutionOptions execution, long maxVariableBytes) {
    this.graph = new ModelGraph(architecture, execution, maxVariableBytes);
    this.execution = execution;
    this.maxVariableBytes = maxVariableBytes;
  }

  /** A builder for a new network. */
  public static Builder builder() {
    return new Builder();
  }

  /** A new network with freshly initialised weights, using every core. */
  public static Cnn of(Architecture architecture) {
    return new Cnn(architecture, ExecutionOptions.DEFAULT, MemoryBudget.defaultLimit());
  }

  /**
   * A new network with freshly initialised weights that runs as {@code execution} says
   * (threads, {@link Precision}, XLA).
   */
  public static Cnn of(Architecture architecture, ExecutionOptions execution) {
    return of(architecture, execution, MemoryBudget.defaultLimit());
  }

  /**
   * As {@link #of(Architecture, ExecutionOptions)}, with a limit on its variables' bytes
   * (see {@link Builder#maxVariableBytes}).
   */
  public static Cnn of(Architecture architecture, ExecutionOptions execution,
      long maxVariableBytes) {
    checkArgument(execution != null, "execution must not be null; use ExecutionOptions.DEFAULT");
    return new Cnn(architecture, execution, maxVariableBytes);
  }

  /**
   * How the model runs (threads, precision, XLA), so derived models (copies, smaller networks)
   * can match. Not saved by {@link #save}: a model is loaded with the options its loader is given
   * ({@link ExecutionOptions#DEFAULT} unless {@link #load(Path, ExecutionOptions)} or
   * {@link #loadKeras(Path, ExecutionOptions)} says otherwise).
   */
  public ExecutionOptions executionOptions() {
    return execution;
  }

  /** The limit on the variables' bytes this model was built with. */
  public long maxVariableBytes() {
    return maxVariableBytes;
  }

  /**
   * Loads a model written by {@link #save}: architecture, weights and masks. Models saved before
   * architectures became graphs load as the chains they were.
   *
   * @throws IOException if the folder is missing, incomplete, corrupt or of another format
   * @throws IllegalArgumentException if the model's variables exceed the default memory limit
   */
  public static Cnn load(Path dir) throws IOException {
    return load(dir, MemoryBudget.defaultLimit());
  }

  /**
   * As {@link #load(Path)}, with a limit on the variables' bytes checked before anything is
   * allocated.
   */
  public static Cnn load(Path dir, long maxVariableBytes) throws IOException {
    return load(dir, ExecutionOptions.DEFAULT, maxVariableBytes);
  }

  /**
   * As {@link #load(Path)}, running as {@code execution} says (threads, precision, XLA): the same
   * options {@link Builder} and {@link #of(Architecture, ExecutionOptions)} take.
   */
  public static Cnn load(Path dir, ExecutionOptions execution) throws IOException {
    return load(dir, execution, MemoryBudget.defaultLimit());
  }

  /** As {@link #load(Path, ExecutionOptions)}, with a limit on the variables' bytes. */
  public static Cnn load(Path dir, ExecutionOptions execution, long maxVariableBytes)
      throws IOException {
    checkArgument(execution != null, "execution must not be null; use ExecutionOptions.DEFAULT");
    ModelStore.Stored stored = ModelStore.load(dir);
    Cnn model;
    try {
      model = new Cnn(stored.architecture(), execution, maxVariableBytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model " + dir + ": " + e.getMessage(), e);
    }
    try {
      model.writeVariables(stored.values(), dir.toString());
    } catch (IllegalArgumentException e) {
      model.close();
      throw new IOException("model " + dir + " does not match its architecture: "
          + e.getMessage(), e);
    }
    return model;
  }

  /**
   * Loads a Keras model: a Keras 3 {@code .keras} archive or a legacy {@code .h5} file, Sequential
   * or Functional, of the layers listed in {@code docs/keras.md} (channels last). The model
   * computes what Keras computes, with the file's weights and BatchNorm statistics.
   *
   * @throws IOException if the file is missing, truncated, corrupt, over the default
   *     {@link KerasLimits} or its weights do not match its config
   * @throws IllegalArgumentException if it holds a layer, option or topology the library cannot
   *     reproduce; the message names the file, the layer, its class and the supported layers
   */
  public static Cnn loadKeras(Path file) throws IOException {
    return loadKeras(file, KerasLimits.DEFAULT);
  }

  /** As {@link #loadKeras(Path)}, with other limits on the archive's entries and sizes. */
  public static Cnn loadKeras(Path file, KerasLimits limits) throws IOException {
    return loadKeras(file, limits, ExecutionOptions.DEFAULT);
  }

  /**
   * As {@link #loadKeras(Path)}, running as {@code execution} says (threads, precision, XLA): the
   * same options {@link Builder} and {@link #of(Architecture, ExecutionOptions)} take.
   */
  public static Cnn loadKeras(Path file, ExecutionOptions execution) throws IOException {
    return loadKeras(file, KerasLimits.DEFAULT, execution);
  }

  /** As {@link #loadKeras(Path, ExecutionOptions)}, with other limits on the archive. */
  public static Cnn loadKeras(Path file, KerasLimits limits, ExecutionOptions execution)
      throws IOException {
    checkArgument(execution != null, "execution must not be null; use ExecutionOptions.DEFAULT");
    KerasImport.Imported imported;
    // Config and weights are read and checked in full before any graph exists: a bad file
    // leaves nothing half-built.
    try (KerasFile keras = KerasFile.open(file, limits)) {
      imported = KerasImport.read(keras);
    }
    Cnn model;
    try {
      model = new Cnn(imported.architecture(), execution, MemoryBudget.defaultLimit());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    try {
      model.writeVariables(imported.values(), file.toString());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return model;
  }

  /**
   * Writes the model as a Keras 3 {@code .keras} archive that {@code keras.saving.load_model}
   * opens: a Functional model with one Keras layer per node, the current (masked) weights and
   * BatchNorm statistics. Replaces {@code file} atomically.
   */
  public void saveKeras(Path file) throws IOException {
    KerasExport.write(file, graph.architecture(), parameters());
  }

  /**
   * Trains the model; see {@link Training}. Returns per-epoch statistics. Each call starts with
   * fresh optimizer state (momentum, Adam's moments); the weights, masks and BatchNorm moving
   * statistics carry over.
   */
  public History fit(Dataset train, Training training) {
    checkArgument(training != null, "training must not be null");
    return TrainingLoop.fit(graph, train, training);
  }

  /**
   * Re-estimates every BatchNorm layer's moving mean and variance as the average over {@code
   * batches} training minibatches of 128 (shuffled with the model's seed), changing no weight; see
   * {@link BatchNormRecalibration}. Use it after pruning a BatchNorm network.
   *
   * @throws IllegalArgumentException if the model has no BatchNorm layer or {@code batches} is
   *     outside [1, 100000]
   */
  public void recalibrateBatchNorm(Dataset data, int batches) {
    BatchNormRecalibration.run(graph, data, batches, Training.DEFAULT_BATCH_SIZE,
        graph.architecture().seed());
  }

  /** Accuracy and mean cross-entropy on {@code data}, without dropout, BatchNorm in inference mode. */
  public Evaluation evaluate(Dataset data) {
    return Evaluator.evaluate(graph, data);
  }

  /** One output row per example: class probabilities (or scores without a final softmax). */
  @Override
  public float[][] predict(Dataset data) {
    return Evaluator.predict(graph, data, Evaluator.DEFAULT_BATCH_SIZE);
  }

  /**
   * Copies of every layer tensor, flattened row-major, keyed {@code <layer>/kernel},
   * {@code /bias}, and for BatchNorm {@code /gamma}, {@code /beta}, {@code /moving_mean},
   * {@code /moving_variance}, in layer order.
   */
  public Map<String, float[]> parameters() {
    return graph.readAll(graph.architecture().variables().stream().map(LayerVariable::key)
        .toList());
  }

  /** Copies of every kernel's 0/1 pruning mask, keyed {@code <layer>/kernel}. */
  public Map<String, float[]> masks() {
    List<Layer> layers = graph.architecture().weightedLayers();
    Map<String, float[]> read = graph.readAll(layers.stream().map(ModelGraph::maskKey).toList());
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Layer layer : layers) {
      out.put(layer.kernelKey(), read.get(ModelGraph.maskKey(layer)));
    }
    return out;
  }

  /**
   * Overwrites some layer tensors; keys and lengths as in {@link #parameters()}. Kernel entries
   * whose mask is 0 are set to zero.
   */
  public void setParameters(Map<String, float[]> values) {
    checkArgument(values != null, "values must not be null");
    java.util.Set<String> known = new java.util.HashSet<>(graph.architecture().variables()
        .stream().map(LayerVariable::key).toList());
    values.keySet().forEach(k -> checkArgument(known.contains(k),
        "unknown parameter %s; parameters are %s", k, known));
    writeVariables(values, "parameters");
    graph.run(graph.maskWeightsOp());
  }

  /** Number of trainable parameters (kernels, biases, BatchNorm scales and offsets). */
  public long parameterCount() {
    return graph.architecture().parameterCount();
  }

  /** The model's definition. */
  public Architecture architecture() {
    return graph.architecture();
  }

  /** A Keras-like table of layers, output shapes, parameter counts and (in graphs) inputs. */
  public String summary() {
    return ModelSummary.format(graph.architecture());
  }

  /** An independent model with the same architecture, weights and masks (optimizer state is not copied). */
  public Cnn copy() {
    Cnn twin = new Cnn(graph.architecture(), execution, maxVariableBytes);
    try {
      twin.writeVariables(graph.readAll(graph.variableKeys()), "copy");
    } catch (RuntimeException e) {
      twin.close();
      throw e;
    }
    return twin;
  }

  /**
   * Saves architecture, weights and masks to folder {@code dir} atomically: after a crash the
   * folder holds either the previous model or the new one. An existing folder is replaced only if
   * it is empty or holds a saved model.
   */
  public void save(Path dir) throws IOException {
    List<String> keys = graph.variableKeys();
    Map<String, List<Long>> shapes = new LinkedHashMap<>();
    for (String key : keys) {
      List<Long> shape = new ArrayList<>();
      for (long d : graph.variable(key).shape().asArray()) {
        shape.add(d);
      }
      shapes.put(key, shape);
    }
    ModelStore.save(dir, graph.architecture(), ModelStore.entries(keys, shapes),
        graph.readAll(keys));
  }

  /**
   * Exports a TensorFlow SavedModel (tag {@code serve}, signature {@code serving_default}, input
   * {@code images}, output {@code output}) to the new folder {@code dir}. Masks are folded into
   * the weights and BatchNorm runs in inference mode: the served graph has no mask or training
   * ops.
   */
  public void exportSavedModel(Path dir) throws IOException {
    SavedModelWriter.export(graph.architecture(), parameters(), dir);
  }

  /**
   * Writes the model as an ONNX file (opset {@value #ONNX_OPSET}) that ONNX Runtime and
   * {@code onnx.checker} accept, replacing {@code file} atomically: a failed export leaves the
   * previous file or none. Input {@value #ONNX_INPUT}: float32 {@code [batch, height, width,
   * channels]}, channels last as the library takes images, the batch axis dynamic; output
   * {@value #ONNX_OUTPUT}: {@code [batch, classes]}, the values {@link #predict} returns. Masks are
   * already folded into the weights (pruned entries are zeros) and BatchNorm uses its moving
   * statistics, so dense, pruned and structurally smaller models export alike.
   *
   * @throws IOException if the file cannot be written
   */
  public void exportOnnx(Path file) throws IOException {
    checkArgument(file != null, "file must not be null");
    OnnxExport.write(file, graph.architecture(), parameters());
  }

  /**
   * A predictor for serving this model one image at a time: thread-safe, reusable, {@link
   * Predictor#predict} taking one {@code height * width * channels} image, channels last. It is a
   * snapshot: later training or pruning of this model does not change it, and it stays usable
   * after this model is closed. The engine is the fastest available: the first {@link
   * PredictorEngine} provided by a module on the module or class path (fwprune-onnxruntime
   * provides ONNX Runtime, measured faster at batch 1 in docs/performance.md), otherwise {@link
   * #tensorFlowPredictor()}. Its intra-op threads are this model's {@link #executionOptions()};
   * it computes in float32 whatever their {@link Precision}.
   *
   * @throws IllegalStateException if the model has been closed
   */
  public Predictor predictor() {
    Iterator<PredictorEngine> engines = ServiceLoader.load(PredictorEngine.class).iterator();
    if (!engines.hasNext()) {
      return tensorFlowPredictor();
    }
    Architecture a = architecture();
    return engines.next().open(new ServingModel(OnnxExport.toBytes(a, parameters()),
        new ImageShape(a.height(), a.width(), a.channels()), SessionPredictor.outputSize(a),
        execution.threads().intraOp()));
  }

  /**
   * A predictor on TensorFlow, whatever else is available: a session of its own, prepared for
   * one image (see {@link SessionPredictor}), with this model's {@link #executionOptions()}. A
   * snapshot of the weights, as {@link #predictor()}.
   *
   * @throws IllegalStateException if the model has been closed
   */
  public Predictor tensorFlowPredictor() {
    return SessionPredictor.open(architecture(), parameters(), execution);
  }

  /**
   * What pruners and other extension modules (fw-pruning) reach of the model: prunable kernels,
   * masks, the training loss and the ops they build ({@link PrunableModel}). Not needed for
   * ordinary use.
   *
   * @throws IllegalStateException if the model has been closed
   */
  // PrunableModel is exported to fw-pruning only: other modules cannot use what this returns.
  @SuppressWarnings("exports")
  public PrunableModel prunable() {
    checkState(!graph.isClosed(), "the model has been closed");
    return graph;
  }

  /**
   * Checks that {@code data} fits the model: its images have the model's input shape and its
   * labels are among the model's classes.
   *
   * @param role how the caller uses the data, named in the message (e.g. "training data")
   * @throws IllegalArgumentException naming both shapes (or class counts) when they do not fit
   */
  public void checkCompatible(Dataset data, String role) {
    graph.checkCompatible(data, role);
  }

  private void writeVariables(Map<String, float[]> values, String source) {
    for (String key : values.keySet()) {
      checkArgument(graph.variableKeys().contains(key),
          "%s: unknown variable %s; known: %s", source, key, graph.variableKeys());
    }
    graph.writeAll(values);
    // Moving statistics from a file, another model or the caller are estimates already: without
    // their update count they count as warmed up, so a fine-tune's first steps keep them.
    boolean statistics = graph.architecture().variables().stream()
        .anyMatch(v -> v.role() == LayerVariable.Role.MOVING_MEAN && values.containsKey(v.key()));
    if (statistics && !values.containsKey(ModelGraph.STATISTICS_UPDATES_KEY)) {
      graph.settleStatistics();
    }
  }

  @Override
  public void close() {
    graph.close();
  }

  @Override
  public String toString() {
    return "Cnn[" + graph.architecture().inputShapeText() + ", "
        + graph.architecture().parameterCount() + " parameters]";
  }

  /**
   * Fluent definition of a network: input shape, then layers in order (residual blocks through
   * {@link LayerChain#residual}), then {@link #build()}. Each setter checks its argument and
   * names the allowed range; shapes are checked by {@link #build()}.
   */
  public static final class Builder extends LayerChain<Builder> {

    /** Default seed of the weight initialisers and dropout. */
    public static final long DEFAULT_SEED = Architecture.DEFAULT_SEED;

    private int height;
    private int width;
    private int channels;
    private long seed = DEFAULT_SEED;
    private ExecutionOptions execution = ExecutionOptions.DEFAULT;
    private long maxVariableBytes = MemoryBudget.defaultLimit();
    private boolean batchNormDebias = true;

    private Builder() {
      super(new Nodes(), Architecture.INPUT);
    }

    @Override
    Builder self() {
      return this;
    }

    /** Input image shape: height, width and channels, each in [1, 16384]. */
    public Builder input(int height, int width, int channels) {
      Require.inClosed("input height", height, 1, Architecture.MAX_INPUT);
      Require.inClosed("input width", width, 1, Architecture.MAX_INPUT);
      Require.inClosed("input channels", channels, 1, Architecture.MAX_INPUT);
      this.height = height;
      this.width = width;
      this.channels = channels;
      return this;
    }

    /** Seed of the weight initialisers and of dropout. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Session threads: {@code intraOp} within one op, {@code interOp} across ops, each in
     * [0, 1024]; 0 means TensorFlow's choice (every core). Same as
     * {@link ExecutionOptions.Builder#threads(int, int)}.
     */
    public Builder threads(int intraOp, int interOp) {
      this.execution = execution.toBuilder().threads(intraOp, interOp).build();
      return this;
    }

    /**
     * All execution settings at once (threads, precision, XLA), replacing those set before; the
     * same options {@link Cnn#load(Path, ExecutionOptions)} and
     * {@link Cnn#loadKeras(Path, ExecutionOptions)} take.
     */
    public Builder execution(ExecutionOptions execution) {
      checkArgument(execution != null, "execution must not be null; use ExecutionOptions.DEFAULT");
      this.execution = execution;
      return this;
    }

    /**
     * Number format of the convolution and dense products (default {@link Precision#FLOAT32});
     * see {@link Precision#BFLOAT16_MIXED}. A runtime setting, not saved with the model.
     */
    public Builder precision(Precision precision) {
      this.execution = execution.toBuilder().precision(precision).build();
      return this;
    }

    /**
     * Whether TensorFlow compiles the model's graph with XLA's JIT (default false). A runtime
     * setting, not saved with the model.
     */
    public Builder xla(boolean xla) {
      this.execution = execution.toBuilder().xla(xla).build();
      return this;
    }

    /**
     * Most bytes the model's variables may take (float32 tensors plus kernel masks), checked
     * before anything is allocated; at least 1 MiB. Default: an eighth of the machine's memory.
     */
    public Builder maxVariableBytes(long bytes) {
      checkArgument(bytes >= 1L << 20, "maxVariableBytes must be at least 1 MiB (1048576), got %s",
          bytes);
      this.maxVariableBytes = bytes;
      return this;
    }

    /**
     * Whether the BatchNorm layers debias their moving statistics while they warm up (default
     * true; see {@link LayerSpec.BatchNorm}). False makes every update use the layer's momentum,
     * as Keras does, which reproduces runs made before debiasing existed exactly.
     */
    public Builder batchNormDebias(boolean debias) {
      this.batchNormDebias = debias;
      return this;
    }

    /**
     * Validates the layer graph and returns the architecture it defines, without building a
     * graph (for code that builds its own graph of the same network).
     */
    public Architecture architecture() {
      checkState(height > 0, "call input(height, width, channels) before build()");
      Architecture built = new Architecture(height, width, channels, nodes.list(), seed);
      return batchNormDebias ? built : built.withBatchNormDebias(false);
    }

    /** Validates the layer graph and builds the network's graph. */
    public Cnn build() {
      return new Cnn(architecture(), execution, maxVariableBytes);
    }
  }

  /**
   * The layers of one branch of a residual block, received by the lambdas of
   * {@link LayerChain#residual}: the same layer methods as {@link Builder}, starting from the
   * block's input.
   */
  public static final class Branch extends LayerChain<Branch> {
    Branch(Nodes nodes, String start) {
      super(nodes, start);
    }

    @Override
    Branch self() {
      return this;
    }
  }
}
