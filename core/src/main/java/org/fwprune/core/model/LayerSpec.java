package org.fwprune.core.model;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Locale;
import org.fwprune.core.check.Require;

/**
 * One layer of a {@link org.fwprune.core.Cnn}, as pure data: an architecture is a graph of these, so it can be
 * printed, saved, compared and rebuilt into a TensorFlow graph. Code that treats every kind of
 * layer goes through {@link #accept(Visitor)}, so adding a kind fails to compile until every such
 * place handles it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = LayerSpec.Conv2d.class, name = "conv2d"),
  @JsonSubTypes.Type(value = LayerSpec.BatchNorm.class, name = "batchNorm"),
  @JsonSubTypes.Type(value = LayerSpec.Relu.class, name = "relu"),
  @JsonSubTypes.Type(value = LayerSpec.MaxPool.class, name = "maxPool"),
  @JsonSubTypes.Type(value = LayerSpec.AvgPool.class, name = "avgPool"),
  @JsonSubTypes.Type(value = LayerSpec.GlobalAvgPool.class, name = "globalAvgPool"),
  @JsonSubTypes.Type(value = LayerSpec.Flatten.class, name = "flatten"),
  @JsonSubTypes.Type(value = LayerSpec.Dropout.class, name = "dropout"),
  @JsonSubTypes.Type(value = LayerSpec.Dense.class, name = "dense"),
  @JsonSubTypes.Type(value = LayerSpec.Softmax.class, name = "softmax"),
  @JsonSubTypes.Type(value = LayerSpec.Add.class, name = "add"),
  @JsonSubTypes.Type(value = LayerSpec.ZeroPadding.class, name = "zeroPadding"),
  @JsonSubTypes.Type(value = LayerSpec.DepthwiseConv2d.class, name = "depthwiseConv2d"),
  @JsonSubTypes.Type(value = LayerSpec.Nonlinearity.class, name = "activation"),
  @JsonSubTypes.Type(value = LayerSpec.Concat.class, name = "concat"),
  @JsonSubTypes.Type(value = LayerSpec.Multiply.class, name = "multiply"),
  @JsonSubTypes.Type(value = LayerSpec.Reshape.class, name = "reshape"),
  @JsonSubTypes.Type(value = LayerSpec.Rescaling.class, name = "rescaling"),
  @JsonSubTypes.Type(value = LayerSpec.Normalization.class, name = "normalization"),
  @JsonSubTypes.Type(value = LayerSpec.LayerNorm.class, name = "layerNorm"),
  @JsonSubTypes.Type(value = LayerSpec.LayerScale.class, name = "layerScale"),
  @JsonSubTypes.Type(value = LayerSpec.Cropping.class, name = "cropping"),
  @JsonSubTypes.Type(value = LayerSpec.GlobalMaxPool.class, name = "globalMaxPool"),
  @JsonSubTypes.Type(value = LayerSpec.Maximum.class, name = "maximum"),
  @JsonSubTypes.Type(value = LayerSpec.PRelu.class, name = "prelu")
})
public sealed interface LayerSpec {

  /** Largest filter, unit, kernel or stride count accepted; far above any CNN that fits in memory. */
  int MAX_SIZE = 1 << 16;

  /**
   * Keras-style type name used in layer names and summaries, e.g. {@code conv2d}: the {@link
   * #displayName()} in snake case by Keras' own rule ({@code to_snake_case} in
   * keras/src/utils/naming.py), so {@code MaxPooling2D} becomes {@code max_pooling2d} and
   * {@code ReLU} becomes {@code re_lu}.
   */
  default String typeName() {
    String words = displayName().replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return words.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** Keras-style class name shown by {@link org.fwprune.core.Cnn#summary()}, e.g. {@code Conv2D}. */
  default String displayName() {
    return kerasClassNames().get(getClass());
  }

  /**
   * Keras' class name of every kind of layer, in one table rather than one method per record;
   * CnnBuilderTest checks that every permitted kind has one.
   */
  private static java.util.Map<Class<?>, String> kerasClassNames() {
    return java.util.Map.ofEntries(
        java.util.Map.entry(Conv2d.class, "Conv2D"),
        java.util.Map.entry(BatchNorm.class, "BatchNormalization"),
        java.util.Map.entry(Relu.class, "ReLU"),
        java.util.Map.entry(MaxPool.class, "MaxPooling2D"),
        java.util.Map.entry(AvgPool.class, "AveragePooling2D"),
        java.util.Map.entry(GlobalAvgPool.class, "GlobalAveragePooling2D"),
        java.util.Map.entry(Flatten.class, "Flatten"),
        java.util.Map.entry(Dropout.class, "Dropout"),
        java.util.Map.entry(Dense.class, "Dense"),
        java.util.Map.entry(Softmax.class, "Softmax"),
        java.util.Map.entry(Add.class, "Add"),
        java.util.Map.entry(ZeroPadding.class, "ZeroPadding2D"),
        java.util.Map.entry(DepthwiseConv2d.class, "DepthwiseConv2D"),
        java.util.Map.entry(Nonlinearity.class, "Activation"),
        java.util.Map.entry(Concat.class, "Concatenate"),
        java.util.Map.entry(Multiply.class, "Multiply"),
        java.util.Map.entry(Reshape.class, "Reshape"),
        java.util.Map.entry(Rescaling.class, "Rescaling"),
        java.util.Map.entry(Normalization.class, "Normalization"),
        java.util.Map.entry(LayerNorm.class, "LayerNormalization"),
        java.util.Map.entry(LayerScale.class, "LayerScale"),
        java.util.Map.entry(Cropping.class, "Cropping2D"),
        java.util.Map.entry(GlobalMaxPool.class, "GlobalMaxPooling2D"),
        java.util.Map.entry(Maximum.class, "Maximum"),
        java.util.Map.entry(PRelu.class, "PReLU"));
  }

  /** The checks both pooling kinds make, with messages naming {@code kind}. */
  private static void checkPool(String kind, int size, int stride, Padding padding) {
    checkSize(size, kind + " size");
    checkSize(stride, kind + " stride");
    checkArgument(padding != null, "%s padding must be VALID or SAME, got null", kind);
  }

  /** A pooling's padding read from JSON: files written before it existed had none. */
  private static Padding validIfAbsent(Padding padding) {
    return padding == null ? Padding.VALID : padding;
  }

  /** A pooling's description, as before {@code padding} existed when there is none. */
  private static String describePool(String name, int size, int stride, Padding padding) {
    return name + "[size=" + size + ", stride=" + stride
        + (padding == Padding.VALID ? "" : ", padding=" + padding) + "]";
  }

  /** Checks a filter, unit, kernel, window or stride count against [1, {@link #MAX_SIZE}]. */
  private static void checkSize(int value, String what) {
    Require.inClosed(what, value, 1, MAX_SIZE);
  }

  /** Calls the visitor's method for this kind of layer. */
  <R> R accept(Visitor<R> visitor);

  /** Whether the layer owns a kernel (convolutions and dense layers): the tensors pruners prune. */
  default boolean hasKernel() {
    return false;
  }

  /** Whether the layer owns a bias vector. */
  default boolean hasBias() {
    return false;
  }

  /** Whether the layer combines several inputs (an {@link Add}); every other layer takes one. */
  default boolean combinesInputs() {
    return false;
  }

  /**
   * One method per kind of layer. Implementations are exhaustive by construction: a new kind of
   * layer adds a method here, and every visitor stops compiling until it handles it.
   *
   * @param <R> what a visit returns
   */
  interface Visitor<R> {
    /** Visits a convolution. */
    R conv2d(Conv2d spec);

    /** Visits a batch normalisation. */
    R batchNorm(BatchNorm spec);

    /** Visits a ReLU. */
    R relu(Relu spec);

    /** Visits a max pooling. */
    R maxPool(MaxPool spec);

    /** Visits an average pooling. */
    R avgPool(AvgPool spec);

    /** Visits a global average pooling. */
    R globalAvgPool(GlobalAvgPool spec);

    /** Visits a flatten. */
    R flatten(Flatten spec);

    /** Visits a dropout. */
    R dropout(Dropout spec);

    /** Visits a dense layer. */
    R dense(Dense spec);

    /** Visits a softmax. */
    R softmax(Softmax spec);

    /** Visits an element-wise sum of several inputs. */
    R add(Add spec);

    /** Visits a zero padding of the height and width. */
    R zeroPadding(ZeroPadding spec);

    /** Visits a depthwise convolution. */
    R depthwiseConv2d(DepthwiseConv2d spec);

    /** Visits an element-wise activation function other than the ReLU. */
    R nonlinearity(Nonlinearity spec);

    /** Visits a concatenation along the channels. */
    R concat(Concat spec);

    /** Visits an element-wise product of several inputs. */
    R multiply(Multiply spec);

    /** Visits a reshape. */
    R reshape(Reshape spec);

    /** Visits an affine rescaling by constants. */
    R rescaling(Rescaling spec);

    /** Visits a normalisation by stored mean and variance. */
    R normalization(Normalization spec);

    /** Visits a normalisation over each position's channels. */
    R layerNorm(LayerNorm spec);

    /** Visits a per-channel trained scale. */
    R layerScale(LayerScale spec);

    /** Visits a cropping of the height and width. */
    R cropping(Cropping spec);

    /** Visits a global max pooling. */
    R globalMaxPool(GlobalMaxPool spec);

    /** Visits a ReLU with a trained slope per channel. */
    R prelu(PRelu spec);

    /** Visits an element-wise maximum of several inputs. */
    R maximum(Maximum spec);
  }

  /**
   * 2-D convolution (Glorot-uniform kernel), followed by a zero-initialised bias when {@code
   * useBias} (Keras' {@code use_bias}; a convolution followed by a BatchNorm needs none). {@code
   * kernel} and {@code stride} are the window's height and vertical step, {@code kernelWidth} and
   * {@code strideWidth} its width and horizontal step: equal for a square window, unequal for
   * Inception's 1x7 and 7x1 kernels. With {@code groups} above 1 (Keras' {@code groups}) the input
   * channels and the filters are split into that many equal consecutive groups and each group of
   * filters reads only its group of channels (RegNet's grouped 3x3 convolutions), so the kernel
   * has Keras' shape {@code [kernel, kernelWidth, in / groups, filters]}. {@code dilation} and
   * {@code dilationWidth} (Keras' {@code dilation_rate}) space the window's taps that many rows
   * and columns apart, so a window of {@code k} taps spans {@code (k - 1) dilation + 1} pixels.
   */
  record Conv2d(int filters, int kernel, int stride, Padding padding, boolean useBias,
      int kernelWidth, int strideWidth, int groups, int dilation, int dilationWidth)
      implements LayerSpec {
    /** Checks every field against its allowed range. */
    public Conv2d {
      checkSize(filters, "conv2d filters");
      checkSize(kernel, "conv2d kernel size");
      checkSize(stride, "conv2d stride");
      checkSize(kernelWidth, "conv2d kernel width");
      checkSize(strideWidth, "conv2d stride width");
      checkArgument(padding != null, "conv2d padding must be VALID or SAME, got null");
      checkSize(groups, "conv2d groups");
      checkArgument(filters % groups == 0,
          "conv2d filters must be a multiple of groups (%s), got %s", groups, filters);
      checkSize(dilation, "conv2d dilation");
      checkSize(dilationWidth, "conv2d dilation width");
      // Keras refuses the combination (its BaseConv), so no file can hold one to import.
      checkArgument(dilation * dilationWidth == 1 || stride * strideWidth == 1,
          "conv2d with dilation %sx%s must have stride 1x1, got %sx%s", dilation, dilationWidth,
          stride, strideWidth);
    }

    /** A convolution with one group and no dilation. */
    public Conv2d(int filters, int kernel, int stride, Padding padding, boolean useBias,
        int kernelWidth, int strideWidth) {
      this(filters, kernel, stride, padding, useBias, kernelWidth, strideWidth, 1, 1, 1);
    }

    /** A convolution with a square window. */
    public Conv2d(int filters, int kernel, int stride, Padding padding, boolean useBias) {
      this(filters, kernel, stride, padding, useBias, kernel, stride);
    }

    /** A convolution with a square window and a bias. */
    public Conv2d(int filters, int kernel, int stride, Padding padding) {
      this(filters, kernel, stride, padding, true);
    }

    /**
     * Reads the JSON form; files written before {@code useBias} existed had a bias, before the
     * widths existed a square window, before groups and dilation existed one group and
     * dilation 1.
     */
    @JsonCreator
    static Conv2d fromJson(@JsonProperty("filters") int filters,
        @JsonProperty("kernel") int kernel, @JsonProperty("stride") int stride,
        @JsonProperty("padding") Padding padding, @JsonProperty("useBias") Boolean useBias,
        @JsonProperty("kernelWidth") Integer kernelWidth,
        @JsonProperty("strideWidth") Integer strideWidth,
        @JsonProperty("groups") Integer groups, @JsonProperty("dilation") Integer dilation,
        @JsonProperty("dilationWidth") Integer dilationWidth) {
      return new Conv2d(filters, kernel, stride, padding, useBias == null || useBias,
          kernelWidth == null ? kernel : kernelWidth, strideWidth == null ? stride : strideWidth,
          groups == null ? 1 : groups, dilation == null ? 1 : dilation,
          dilationWidth == null ? 1 : dilationWidth);
    }

    /** The same convolution with {@code n} filters. */
    public Conv2d withFilters(int n) {
      return new Conv2d(n, kernel, stride, padding, useBias, kernelWidth, strideWidth, groups,
          dilation, dilationWidth);
    }

    /** Whether the window and the steps are square. */
    public boolean square() {
      return kernel == kernelWidth && stride == strideWidth;
    }

    /** Whether the window's taps are spaced apart (a dilation above 1 along either axis). */
    public boolean dilated() {
      return dilation > 1 || dilationWidth > 1;
    }

    /**
     * As before {@code useBias}, the widths, groups and dilation existed, so older descriptions
     * still match.
     */
    @Override
    public String toString() {
      return "Conv2d[filters=" + filters + ", kernel=" + kernel + ", stride=" + stride
          + ", padding=" + padding + (useBias ? "" : ", useBias=false")
          + (square() ? "" : ", kernelWidth=" + kernelWidth + ", strideWidth=" + strideWidth)
          + (groups == 1 ? "" : ", groups=" + groups)
          + (dilated() ? ", dilation=" + dilation + "x" + dilationWidth : "") + "]";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.conv2d(this);
    }

    @Override
    public boolean hasKernel() {
      return true;
    }

    @Override
    public boolean hasBias() {
      return useBias;
    }
  }

  /**
   * Batch normalisation over the last axis (Ioffe and Szegedy 2015) with Keras' semantics: while
   * training it normalises with the batch's mean and (biased) variance and moves the moving
   * statistics towards them, {@code moving = decay * moving + (1 - decay) * batch}; at inference
   * it uses the moving statistics. Gamma starts at 1, beta at 0, the moving mean at 0 and the
   * moving variance at 1.
   *
   * <p>With {@code debias} (the default), the decay of the t-th update of a model whose statistics
   * start from initialisation is {@code min(momentum, (1 + t) / (10 + t))}, as TensorFlow's {@code
   * ExponentialMovingAverage} does with {@code num_updates}: a fixed 0.99 leaves 37% of the
   * initial mean 0 and variance 1 in the statistics after 100 steps, so a short run evaluates far
   * below its training accuracy, while this warm-up follows the weights and reaches {@code
   * momentum} after {@code (10 momentum - 1) / (1 - momentum)} updates (890 at 0.99). The update
   * count is model state; statistics read from a file start as fully warmed up. Without {@code
   * debias} every update uses {@code momentum}, as Keras does.
   */
  record BatchNorm(double momentum, double epsilon, boolean debias) implements LayerSpec {
    /** Keras' default momentum of the moving statistics. */
    public static final double DEFAULT_MOMENTUM = 0.99;
    /** Keras' default epsilon added to the variance. */
    public static final double DEFAULT_EPSILON = 1e-3;

    /** Checks every field against its allowed range. */
    public BatchNorm {
      Require.inClosedOpen("batchNorm momentum", momentum, 0, 1);
      Require.inOpenClosed("batchNorm epsilon", epsilon, 0, 1);
    }

    /** A batch normalisation with debiased moving statistics. */
    public BatchNorm(double momentum, double epsilon) {
      this(momentum, epsilon, true);
    }

    /** A batch normalisation with Keras' defaults and debiased moving statistics. */
    public BatchNorm() {
      this(DEFAULT_MOMENTUM, DEFAULT_EPSILON);
    }

    /** Reads the JSON form; files written before {@code debias} existed get the default. */
    @JsonCreator
    static BatchNorm fromJson(@JsonProperty("momentum") double momentum,
        @JsonProperty("epsilon") double epsilon, @JsonProperty("debias") Boolean debias) {
      return new BatchNorm(momentum, epsilon, debias == null || debias);
    }

    /**
     * The 10 of the debiased decay {@code (1 + t) / (10 + t)}: its rate {@code 1 - decay} is
     * {@code (WARM_UP_OFFSET - 1) / (WARM_UP_OFFSET + t)}.
     */
    public static final double WARM_UP_OFFSET = 10;

    /**
     * Whether, after {@code updates} updates of its statistics, this layer's debiased rate still
     * exceeds Keras' {@code 1 - momentum}; always false without {@code debias}.
     */
    public boolean warmingUp(double updates) {
      return debias && (WARM_UP_OFFSET - 1) / (WARM_UP_OFFSET + updates) > 1 - momentum;
    }

    /** The same layer with debiasing on or off. */
    public BatchNorm withDebias(boolean debias) {
      return new BatchNorm(momentum, epsilon, debias);
    }

    /** As before {@code debias} existed when it is on, so older descriptions still match. */
    @Override
    public String toString() {
      return "BatchNorm[momentum=" + momentum + ", epsilon=" + epsilon
          + (debias ? "" : ", debias=false") + "]";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.batchNorm(this);
    }
  }

  /**
   * Rectified linear activation with Keras' {@code ReLU} options: {@code maxValue} caps the output
   * ({@link #NO_MAX} for none; 6 is MobileNet's ReLU6), inputs below {@code threshold} give
   * {@code negativeSlope (x - threshold)} (0 for the plain ReLU). Keras computes a nonzero
   * threshold as {@code x > threshold ? x : 0} before the cap and the negative part.
   */
  record Relu(double maxValue, double negativeSlope, double threshold) implements LayerSpec {
    /** The {@code maxValue} of a ReLU without a cap. */
    public static final double NO_MAX = Double.MAX_VALUE;

    /** Checks that the cap is positive and the slope and threshold finite and non-negative. */
    public Relu {
      checkArgument(maxValue > 0 && !Double.isNaN(maxValue),
          "relu maxValue must be positive (NO_MAX for none), got %s", maxValue);
      checkArgument(Double.isFinite(negativeSlope) && negativeSlope >= 0,
          "relu negativeSlope must be finite and non-negative, got %s", negativeSlope);
      checkArgument(Double.isFinite(threshold) && threshold >= 0,
          "relu threshold must be finite and non-negative, got %s", threshold);
    }

    /** The plain ReLU, {@code max(x, 0)}. */
    public Relu() {
      this(NO_MAX, 0, 0);
    }

    /** A ReLU capped at {@code maxValue}, e.g. 6 for ReLU6. */
    public static Relu capped(double maxValue) {
      return new Relu(maxValue, 0, 0);
    }

    /** Reads the JSON form; files written before the options existed hold the plain ReLU. */
    @JsonCreator
    static Relu fromJson(@JsonProperty("maxValue") Double maxValue,
        @JsonProperty("negativeSlope") Double negativeSlope,
        @JsonProperty("threshold") Double threshold) {
      return new Relu(maxValue == null ? NO_MAX : maxValue,
          negativeSlope == null ? 0 : negativeSlope, threshold == null ? 0 : threshold);
    }

    /** Whether it is the plain {@code max(x, 0)}. */
    public boolean plain() {
      return maxValue == NO_MAX && negativeSlope == 0 && threshold == 0;
    }

    /** As before the options existed for the plain ReLU, so older descriptions still match. */
    @Override
    public String toString() {
      return plain() ? "Relu[]" : "Relu[maxValue=" + (maxValue == NO_MAX ? "none" : maxValue)
          + ", negativeSlope=" + negativeSlope + ", threshold=" + threshold + "]";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.relu(this);
    }
  }

  /**
   * Max pooling over square windows; with {@code SAME} padding, TensorFlow's and Keras' rule
   * (the output is {@code ceil(input / stride)}, windows see only the input's own values).
   */
  record MaxPool(int size, int stride, Padding padding) implements LayerSpec {
    /** Checks every field against its allowed range. */
    public MaxPool {
      checkPool("maxPool", size, stride, padding);
    }

    /** Pooling with no padding. */
    public MaxPool(int size, int stride) {
      this(size, stride, Padding.VALID);
    }

    /** Reads the JSON form; files written before {@code padding} existed had none. */
    @JsonCreator
    static MaxPool fromJson(@JsonProperty("size") int size, @JsonProperty("stride") int stride,
        @JsonProperty("padding") Padding padding) {
      return new MaxPool(size, stride, validIfAbsent(padding));
    }

    /** As before {@code padding} existed when there is none, so older descriptions still match. */
    @Override
    public String toString() {
      return describePool("MaxPool", size, stride, padding);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.maxPool(this);
    }
  }

  /**
   * Average pooling over square windows; with {@code SAME} padding, TensorFlow's and Keras' rule
   * (the output is {@code ceil(input / stride)}, windows see only the input's own values).
   */
  record AvgPool(int size, int stride, Padding padding) implements LayerSpec {
    /** Checks every field against its allowed range. */
    public AvgPool {
      checkPool("avgPool", size, stride, padding);
    }

    /** Pooling with no padding. */
    public AvgPool(int size, int stride) {
      this(size, stride, Padding.VALID);
    }

    /** Reads the JSON form; files written before {@code padding} existed had none. */
    @JsonCreator
    static AvgPool fromJson(@JsonProperty("size") int size, @JsonProperty("stride") int stride,
        @JsonProperty("padding") Padding padding) {
      return new AvgPool(size, stride, validIfAbsent(padding));
    }

    /** As before {@code padding} existed when there is none, so older descriptions still match. */
    @Override
    public String toString() {
      return describePool("AvgPool", size, stride, padding);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.avgPool(this);
    }
  }

  /**
   * Mean over height and width: a height x width x channels activation becomes a channels vector,
   * or with {@code keepdims} a 1 x 1 x channels image (as MobileNet's classifier reads it).
   */
  record GlobalAvgPool(boolean keepdims) implements LayerSpec {
    /** The pooling to a channels vector. */
    public GlobalAvgPool() {
      this(false);
    }

    /** Reads the JSON form; files written before {@code keepdims} existed had a vector output. */
    @JsonCreator
    static GlobalAvgPool fromJson(@JsonProperty("keepdims") Boolean keepdims) {
      return new GlobalAvgPool(keepdims != null && keepdims);
    }

    /** As before {@code keepdims} existed when it is off, so older descriptions still match. */
    @Override
    public String toString() {
      return keepdims ? "GlobalAvgPool[keepdims=true]" : "GlobalAvgPool[]";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.globalAvgPool(this);
    }
  }

  /**
   * Maximum over height and width (Keras' {@code GlobalMaxPooling2D}): a channels vector, or with
   * {@code keepdims} a 1 x 1 x channels image.
   */
  record GlobalMaxPool(boolean keepdims) implements LayerSpec {
    /** The pooling to a channels vector. */
    public GlobalMaxPool() {
      this(false);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.globalMaxPool(this);
    }
  }

  /** Reshapes a height x width x channels activation into a vector. */
  record Flatten() implements LayerSpec {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.flatten(this);
    }
  }

  /** Inverted dropout, active only while training (Srivastava et al. 2014). */
  record Dropout(double rate) implements LayerSpec {
    /** Checks that the rate lies in [0, 1). */
    public Dropout {
      Require.inClosedOpen("dropout rate", rate, 0, 1);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.dropout(this);
    }
  }

  /**
   * Fully connected layer (Glorot-uniform kernel), with a zero-initialised bias when {@code
   * useBias}. On a height x width x channels image it maps each position's channels alike (Keras'
   * {@code Dense} on a 4-D tensor, ConvNeXt's pointwise layers): a 1x1 convolution whose kernel is
   * {@code [channels, units]}.
   */
  record Dense(int units, boolean useBias) implements LayerSpec {
    /** Checks that the unit count is positive and bounded. */
    public Dense {
      checkSize(units, "dense units");
    }

    /** A dense layer with a bias. */
    public Dense(int units) {
      this(units, true);
    }

    /** Reads the JSON form; files written before {@code useBias} existed had a bias. */
    @JsonCreator
    static Dense fromJson(@JsonProperty("units") int units,
        @JsonProperty("useBias") Boolean useBias) {
      return new Dense(units, useBias == null || useBias);
    }

    /** As before {@code useBias} existed when there is a bias, so older descriptions still match. */
    @Override
    public String toString() {
      return "Dense[units=" + units + (useBias ? "" : ", useBias=false") + "]";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.dense(this);
    }

    @Override
    public boolean hasKernel() {
      return true;
    }

    @Override
    public boolean hasBias() {
      return useBias;
    }
  }

  /** Softmax over the last axis; as the last layer it turns logits into class probabilities. */
  record Softmax() implements LayerSpec {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.softmax(this);
    }
  }

  /** Element-wise sum of two or more inputs of equal shape: the join of a residual block. */
  record Add() implements LayerSpec {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.add(this);
    }

    @Override
    public boolean combinesInputs() {
      return true;
    }
  }

  /** Element-wise maximum of two or more inputs of equal shape (Keras' {@code Maximum}). */
  record Maximum() implements LayerSpec {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.maximum(this);
    }

    @Override
    public boolean combinesInputs() {
      return true;
    }
  }

  /**
   * Zero padding of the height and width (Keras' {@code ZeroPadding2D}): {@code top} and {@code
   * bottom} rows, {@code left} and {@code right} columns of zeros; unequal sides are how Keras'
   * applications pad before a strided convolution.
   */
  record ZeroPadding(int top, int bottom, int left, int right) implements LayerSpec {
    /** Checks that every side is in [0, {@link #MAX_SIZE}]. */
    public ZeroPadding {
      Require.inClosed("zeroPadding top", top, 0, MAX_SIZE);
      Require.inClosed("zeroPadding bottom", bottom, 0, MAX_SIZE);
      Require.inClosed("zeroPadding left", left, 0, MAX_SIZE);
      Require.inClosed("zeroPadding right", right, 0, MAX_SIZE);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.zeroPadding(this);
    }
  }

  /**
   * Depthwise 2-D convolution (Keras' {@code DepthwiseConv2D}): each input channel is convolved
   * with its own {@code depthMultiplier} square filters, so channel {@code c}'s outputs are
   * channels {@code c m .. c m + m - 1}. Its kernel has Keras' shape {@code [k, k, in, m]}. A
   * {@code dilation} above 1 (Keras' square {@code dilation_rate}) spaces the window's taps that
   * many pixels apart, with stride 1 as Keras requires.
   */
  record DepthwiseConv2d(int kernel, int stride, Padding padding, int depthMultiplier,
      boolean useBias, int dilation) implements LayerSpec {
    /** Checks every field against its allowed range. */
    public DepthwiseConv2d {
      checkSize(kernel, "depthwiseConv2d kernel size");
      checkSize(stride, "depthwiseConv2d stride");
      checkSize(depthMultiplier, "depthwiseConv2d depthMultiplier");
      checkArgument(padding != null, "depthwiseConv2d padding must be VALID or SAME, got null");
      checkSize(dilation, "depthwiseConv2d dilation");
      checkArgument(dilation == 1 || stride == 1,
          "depthwiseConv2d with dilation %s must have stride 1, got %s", dilation, stride);
    }

    /** A depthwise convolution without dilation. */
    public DepthwiseConv2d(int kernel, int stride, Padding padding, int depthMultiplier,
        boolean useBias) {
      this(kernel, stride, padding, depthMultiplier, useBias, 1);
    }

    /** Reads the JSON form; files written before dilation existed have dilation 1. */
    @JsonCreator
    static DepthwiseConv2d fromJson(@JsonProperty("kernel") int kernel,
        @JsonProperty("stride") int stride, @JsonProperty("padding") Padding padding,
        @JsonProperty("depthMultiplier") int depthMultiplier,
        @JsonProperty("useBias") boolean useBias, @JsonProperty("dilation") Integer dilation) {
      return new DepthwiseConv2d(kernel, stride, padding, depthMultiplier, useBias,
          dilation == null ? 1 : dilation);
    }

    /** As before dilation existed, so that older descriptions still match. */
    @Override
    public String toString() {
      return "DepthwiseConv2d[kernel=" + kernel + ", stride=" + stride + ", padding=" + padding
          + ", depthMultiplier=" + depthMultiplier + ", useBias=" + useBias
          + (dilation == 1 ? "" : ", dilation=" + dilation) + "]";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.depthwiseConv2d(this);
    }

    @Override
    public boolean hasKernel() {
      return true;
    }

    @Override
    public boolean hasBias() {
      return useBias;
    }
  }

  /** An element-wise activation function (Keras' {@code Activation} layer). */
  record Nonlinearity(Activation function) implements LayerSpec {
    /** Checks that a function is given. */
    public Nonlinearity {
      checkArgument(function != null, "activation function must not be null; one of %s",
          java.util.Arrays.toString(Activation.values()));
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.nonlinearity(this);
    }
  }

  /**
   * Concatenation of two or more images of equal height and width along the channels, in input
   * order (DenseNet's join; Keras' {@code Concatenate} on the last axis).
   */
  record Concat() implements LayerSpec {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.concat(this);
    }

    @Override
    public boolean combinesInputs() {
      return true;
    }
  }

  /**
   * Element-wise product of two or more inputs, a size-1 axis broadcasting against the others:
   * a squeeze-and-excitation gate multiplies an image by a 1 x 1 x channels scale.
   */
  record Multiply() implements LayerSpec {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.multiply(this);
    }

    @Override
    public boolean combinesInputs() {
      return true;
    }
  }

  /** Reshapes each example to {@code shape} (1 to 3 axes, the same number of values). */
  record Reshape(java.util.List<Integer> shape) implements LayerSpec {
    /** Checks and copies the shape. */
    public Reshape {
      checkArgument(shape != null && !shape.isEmpty() && shape.size() <= 3,
          "reshape shape must have 1 to 3 axes, got %s", shape);
      shape = java.util.List.copyOf(shape);
      shape.forEach(n -> checkSize(n, "reshape axis"));
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.reshape(this);
    }
  }

  /**
   * {@code x scale + offset} with constant scale and offset (Keras' {@code Rescaling}; also a
   * Keras 3 functional graph's arithmetic with a constant, such as MobileNetV3's {@code x + 3}).
   */
  record Rescaling(double scale, double offset) implements LayerSpec {
    /** Checks that both are finite. */
    public Rescaling {
      checkArgument(Double.isFinite(scale) && Double.isFinite(offset),
          "rescaling scale and offset must be finite, got %s and %s", scale, offset);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.rescaling(this);
    }
  }

  /**
   * Per-channel standardisation by a stored mean and variance (Keras' {@code Normalization} on the
   * last axis): {@code (x - mean) / max(sqrt(variance), 1e-7)}. The statistics are model state,
   * not trained; they start at mean 0 and variance 1.
   */
  record Normalization() implements LayerSpec {
    /** Keras' floor of the standard deviation ({@code backend.epsilon()}). */
    public static final double EPSILON = 1e-7;

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.normalization(this);
    }
  }

  /**
   * Layer normalisation over each position's channels (Ba et al. 2016; Keras'
   * {@code LayerNormalization} on the last axis): {@code gamma (x - mean) / sqrt(variance +
   * epsilon) + beta}, with the mean and the biased variance of the position's own channels, in
   * training and at inference alike. Gamma starts at 1, beta at 0.
   */
  record LayerNorm(double epsilon) implements LayerSpec {
    /** Keras' default epsilon. */
    public static final double DEFAULT_EPSILON = 1e-3;

    /** Checks that epsilon is in (0, 1]. */
    public LayerNorm {
      Require.inOpenClosed("layerNorm epsilon", epsilon, 0, 1);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.layerNorm(this);
    }
  }

  /**
   * A trained per-channel scale, {@code x gamma} (Touvron et al. 2021; Keras' ConvNeXt
   * {@code LayerScale}, which scales each residual branch). Gamma starts at 1 here, so a new
   * layer passes its input through; Keras starts it at a small constant.
   */
  record LayerScale() implements LayerSpec {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.layerScale(this);
    }
  }

  /**
   * A ReLU with trained slopes below zero (He et al. 2015, "Delving deep into rectifiers";
   * Keras' {@code PReLU}): {@code max(x, 0) - alpha max(-x, 0)}. {@code sharedAxes} are the axes
   * along which one slope serves every position (Keras' {@code shared_axes}); the others have a
   * slope per index. The default, height and width shared, is one slope per channel; on a vector
   * only {@link Axis#CHANNELS} applies. Alpha starts at 0, Keras' default, so a new layer is a
   * ReLU.
   */
  record PRelu(java.util.Set<Axis> sharedAxes) implements LayerSpec {
    /** An axis of a channels-last image (batch excluded), as Keras' axes 1, 2 and 3. */
    public enum Axis {
      HEIGHT, WIDTH, CHANNELS
    }

    /** One slope per channel: height and width shared. */
    public static final java.util.Set<Axis> PER_CHANNEL =
        java.util.Collections.unmodifiableSet(java.util.EnumSet.of(Axis.HEIGHT, Axis.WIDTH));

    /** Checks that the set is given, and keeps an unmodifiable copy. */
    public PRelu {
      checkArgument(sharedAxes != null, "prelu sharedAxes must not be null; a subset of %s",
          java.util.Arrays.toString(Axis.values()));
      sharedAxes = sharedAxes.isEmpty()
          ? java.util.Collections.unmodifiableSet(java.util.EnumSet.noneOf(Axis.class))
          : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(sharedAxes));
    }

    /** One slope per channel, as before other sharings existed. */
    public PRelu() {
      this(PER_CHANNEL);
    }

    /** Reads the JSON form; files written before the sharing existed have a slope per channel. */
    @JsonCreator
    static PRelu fromJson(@JsonProperty("sharedAxes") java.util.Set<Axis> sharedAxes) {
      return new PRelu(sharedAxes == null ? PER_CHANNEL : sharedAxes);
    }

    /** Whether it has one slope per channel: its alpha is a {@code [channels]} vector. */
    public boolean perChannel() {
      return sharedAxes.equals(PER_CHANNEL);
    }

    /** As before the sharing existed for one slope per channel, so older descriptions match. */
    @Override
    public String toString() {
      return perChannel() ? "PRelu[]" : "PRelu[sharedAxes=" + sharedAxes + "]";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.prelu(this);
    }
  }

  /**
   * Cropping of the height and width (Keras' {@code Cropping2D}): {@code top} and {@code bottom}
   * rows, {@code left} and {@code right} columns removed; NASNet crops one side after padding the
   * other, to shift an image by one pixel.
   */
  record Cropping(int top, int bottom, int left, int right) implements LayerSpec {
    /** Checks that every side is in [0, {@link #MAX_SIZE}]. */
    public Cropping {
      Require.inClosed("cropping top", top, 0, MAX_SIZE);
      Require.inClosed("cropping bottom", bottom, 0, MAX_SIZE);
      Require.inClosed("cropping left", left, 0, MAX_SIZE);
      Require.inClosed("cropping right", right, 0, MAX_SIZE);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.cropping(this);
    }
  }
}
