package org.fwprune.core.model;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.eval.Evaluator;
import org.fwprune.core.runtime.ModelGraph;
import org.fwprune.core.runtime.SavedModelWriter;
import org.fwprune.core.train.History;
import org.fwprune.core.train.Training;
import org.fwprune.core.train.TrainingLoop;

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
public final class Cnn implements AutoCloseable {

  private final ModelGraph graph;
  private final ModelGraph.Threads threads;

  private Cnn(Architecture architecture, ModelGraph.Threads threads) {
    this.graph = new ModelGraph(architecture, threads);
    this.threads = threads;
  }

  /** A builder for a new network. */
  public static Builder builder() {
    return new Builder();
  }

  /** A new network with freshly initialised weights, using every core. */
  public static Cnn of(Architecture architecture) {
    return new Cnn(architecture, Builder.DEFAULT_THREADS);
  }

  /** A new network with freshly initialised weights and the given session threads. */
  public static Cnn of(Architecture architecture, ModelGraph.Threads threads) {
    return new Cnn(architecture, threads);
  }

  /** The session's thread settings, so derived models (copies, smaller networks) can match. */
  public ModelGraph.Threads threads() {
    return threads;
  }

  /**
   * Loads a model written by {@link #save}: architecture, weights and masks.
   *
   * @throws IOException if the folder is missing, incomplete, corrupt or of another format
   */
  public static Cnn load(Path dir) throws IOException {
    ModelStore.Stored stored = ModelStore.load(dir);
    Cnn model = new Cnn(stored.architecture(), Builder.DEFAULT_THREADS);
    try {
      model.writeVariables(stored.values(), dir.toString());
    } catch (IllegalArgumentException e) {
      model.close();
      throw new IOException("model " + dir + " does not match its architecture: "
          + e.getMessage(), e);
    }
    return model;
  }

  /** Trains the model; see {@link Training}. Returns per-epoch statistics. */
  public History fit(Dataset train, Training training) {
    checkArgument(training != null, "training must not be null");
    return TrainingLoop.fit(graph, train, training);
  }

  /** Accuracy and mean cross-entropy on {@code data}, without dropout. */
  public Evaluation evaluate(Dataset data) {
    return Evaluator.evaluate(graph, data);
  }

  /** One output row per example: class probabilities (or scores without a final softmax). */
  public float[][] predict(Dataset data) {
    return Evaluator.predict(graph, data, Evaluator.DEFAULT_BATCH_SIZE);
  }

  /**
   * Copies of every trainable tensor, flattened row-major and keyed {@code <layer>/kernel} and
   * {@code <layer>/bias}, in layer order.
   */
  public Map<String, float[]> parameters() {
    List<String> keys = new ArrayList<>();
    for (Layer layer : graph.architecture().weightedLayers()) {
      keys.add(layer.kernelKey());
      keys.add(layer.biasKey());
    }
    return graph.readAll(keys);
  }

  /** Copies of every kernel's 0/1 pruning mask, keyed {@code <layer>/kernel}. */
  public Map<String, float[]> masks() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Layer layer : graph.architecture().weightedLayers()) {
      out.put(layer.kernelKey(), graph.read(ModelGraph.maskKey(layer)));
    }
    return out;
  }

  /**
   * Overwrites some trainable tensors; keys and lengths as in {@link #parameters()}. Entries whose
   * mask is 0 are set to zero.
   */
  public void setParameters(Map<String, float[]> values) {
    checkArgument(values != null, "values must not be null");
    Map<String, float[]> checked = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      checkArgument(k.endsWith("/kernel") || k.endsWith("/bias"),
          "parameter keys end in /kernel or /bias, got %s", k);
      checked.put(k, v);
    });
    writeVariables(checked, "parameters");
    graph.run(graph.maskWeightsOp());
  }

  /** Number of trainable parameters (kernels and biases). */
  public long parameterCount() {
    return graph.architecture().parameterCount();
  }

  /** The model's definition. */
  public Architecture architecture() {
    return graph.architecture();
  }

  /** A Keras-like table of layers, output shapes and parameter counts. */
  public String summary() {
    return ModelSummary.format(graph.architecture());
  }

  /** An independent model with the same architecture, weights and masks (optimizer state is not copied). */
  public Cnn copy() {
    Cnn twin = new Cnn(graph.architecture(), threads);
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
      long[] dims = graph.variable(key).shape().asArray();
      List<Long> shape = new ArrayList<>();
      for (long d : dims) {
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
   * the weights: the served graph has no mask ops.
   */
  public void exportSavedModel(Path dir) throws IOException {
    SavedModelWriter.export(graph.architecture(), parameters(), dir);
  }

  /**
   * The model's graph, for extension modules (such as fw-pruning) that add ops to it. Not needed
   * for ordinary use.
   */
  public ModelGraph graph() {
    checkState(!graph.isClosed(), "the model has been closed");
    return graph;
  }

  private void writeVariables(Map<String, float[]> values, String source) {
    for (Map.Entry<String, float[]> e : values.entrySet()) {
      checkArgument(graph.variableKeys().contains(e.getKey()),
          "%s: unknown variable %s; known: %s", source, e.getKey(), graph.variableKeys());
      graph.write(e.getKey(), e.getValue());
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
   * Fluent definition of a network: input shape, then layers in order, then {@link #build()}.
   * Each setter checks its argument and names the allowed range.
   */
  public static final class Builder {

    /** Default seed of the weight initialisers and dropout. */
    public static final long DEFAULT_SEED = 0;
    /** Default threads: 0 lets TensorFlow use every core. */
    public static final ModelGraph.Threads DEFAULT_THREADS = new ModelGraph.Threads(0, 0);

    private int height;
    private int width;
    private int channels;
    private final List<LayerSpec> layers = new ArrayList<>();
    private long seed = DEFAULT_SEED;
    private ModelGraph.Threads threads = DEFAULT_THREADS;

    private Builder() {}

    /** Input image shape: height, width and channels, each in [1, 16384]. */
    public Builder input(int height, int width, int channels) {
      checkArgument(height >= 1 && height <= Architecture.MAX_INPUT,
          "input height must be in [1, %s], got %s", Architecture.MAX_INPUT, height);
      checkArgument(width >= 1 && width <= Architecture.MAX_INPUT,
          "input width must be in [1, %s], got %s", Architecture.MAX_INPUT, width);
      checkArgument(channels >= 1 && channels <= Architecture.MAX_INPUT,
          "input channels must be in [1, %s], got %s", Architecture.MAX_INPUT, channels);
      this.height = height;
      this.width = width;
      this.channels = channels;
      return this;
    }

    /** A convolution with {@code filters} square {@code kernel}-wide filters, stride 1, VALID padding. */
    public Builder conv2d(int filters, int kernel) {
      return conv2d(filters, kernel, 1, Padding.VALID);
    }

    /** A convolution with the given stride and padding. */
    public Builder conv2d(int filters, int kernel, int stride, Padding padding) {
      layers.add(new LayerSpec.Conv2d(filters, kernel, stride, padding));
      return this;
    }

    /** A ReLU activation. */
    public Builder relu() {
      layers.add(new LayerSpec.Relu());
      return this;
    }

    /** Max pooling over {@code size} x {@code size} windows with stride {@code size}. */
    public Builder maxPool(int size) {
      return maxPool(size, size);
    }

    /** Max pooling with an explicit stride. */
    public Builder maxPool(int size, int stride) {
      layers.add(new LayerSpec.MaxPool(size, stride));
      return this;
    }

    /** Flattens an image-shaped activation into a vector. */
    public Builder flatten() {
      layers.add(new LayerSpec.Flatten());
      return this;
    }

    /** Dropout with {@code rate} in [0, 1), active only while training. */
    public Builder dropout(double rate) {
      layers.add(new LayerSpec.Dropout(rate));
      return this;
    }

    /** A fully connected layer with {@code units} outputs. */
    public Builder dense(int units) {
      layers.add(new LayerSpec.Dense(units));
      return this;
    }

    /** A softmax; as the last layer, it makes the model output class probabilities. */
    public Builder softmax() {
      layers.add(new LayerSpec.Softmax());
      return this;
    }

    /** Seed of the weight initialisers and of dropout. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Session threads: {@code intraOp} within one op, {@code interOp} across ops, each in
     * [0, 1024]; 0 means TensorFlow's choice (every core).
     */
    public Builder threads(int intraOp, int interOp) {
      this.threads = new ModelGraph.Threads(intraOp, interOp);
      return this;
    }

    /**
     * Validates the layer sequence and returns the architecture it defines, without building a
     * graph (for code that builds its own graph of the same network).
     */
    public Architecture architecture() {
      checkState(height > 0, "call input(height, width, channels) before build()");
      return new Architecture(height, width, channels, layers, seed);
    }

    /** Validates the layer sequence and builds the network's graph. */
    public Cnn build() {
      return new Cnn(architecture(), threads);
    }
  }
}
