package org.fwprune.core;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fwprune.core.model.Activation;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Node;
import org.fwprune.core.model.Padding;

/**
 * The layer methods shared by {@link Cnn.Builder} and the branches of its residual blocks
 * ({@link Cnn.Branch}): each call appends a layer that reads the chain's current end. Layers are
 * named by kind and order over the whole model ({@code conv2d_1}, {@code conv2d_2}, ...).
 * Arguments are checked at once; shapes are checked when the model is built.
 *
 * @param <B> the concrete chain type, returned by every method for fluent use
 */
public abstract class LayerChain<B extends LayerChain<B>> {

  /** The nodes of one model under construction, shared by its builder and every branch. */
  static final class Nodes {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();

    String add(LayerSpec spec, List<String> inputs) {
      String name = spec.typeName() + "_" + counts.merge(spec.typeName(), 1, Integer::sum);
      nodes.add(new Node(name, spec, inputs));
      return name;
    }

    List<Node> list() {
      return List.copyOf(nodes);
    }
  }

  final Nodes nodes;
  private String end;

  LayerChain(Nodes nodes, String end) {
    this.nodes = nodes;
    this.end = end;
  }

  /** This chain, typed as its concrete class. */
  abstract B self();

  private B append(LayerSpec spec) {
    end = nodes.add(spec, List.of(end));
    return self();
  }

  /** A convolution with {@code filters} square {@code kernel}-wide filters, stride 1, VALID padding, with a bias. */
  public B conv2d(int filters, int kernel) {
    return conv2d(filters, kernel, 1, Padding.VALID);
  }

  /** A convolution with the given stride and padding, with a bias. */
  public B conv2d(int filters, int kernel, int stride, Padding padding) {
    return conv2d(filters, kernel, stride, padding, true);
  }

  /**
   * A convolution with the given stride and padding, with a bias only if {@code useBias} (a
   * convolution followed by a BatchNorm needs none: the BatchNorm's offset plays its part).
   */
  public B conv2d(int filters, int kernel, int stride, Padding padding, boolean useBias) {
    return append(new LayerSpec.Conv2d(filters, kernel, stride, padding, useBias));
  }

  /**
   * A convolution with a {@code kernelHeight} x {@code kernelWidth} window moving {@code
   * strideHeight} rows and {@code strideWidth} columns at a time (Inception's 1x7 and 7x1
   * kernels), each in [1, 65536].
   */
  public B conv2d(int filters, int kernelHeight, int kernelWidth, int strideHeight,
      int strideWidth, Padding padding, boolean useBias) {
    return append(new LayerSpec.Conv2d(filters, kernelHeight, strideHeight, padding, useBias,
        kernelWidth, strideWidth));
  }

  /**
   * A grouped convolution (RegNet's, ResNeXt's): the input channels and the {@code filters} are
   * split into {@code groups} equal consecutive parts and each part of the filters reads only its
   * part of the channels, so the kernel is {@code [kernel, kernel, in / groups, filters]}; {@code
   * groups} must divide {@code filters} (checked here) and the input channels (checked when the
   * model is built).
   */
  public B groupedConv2d(int filters, int kernel, int stride, Padding padding, int groups,
      boolean useBias) {
    return append(new LayerSpec.Conv2d(filters, kernel, stride, padding, useBias, kernel, stride,
        groups, 1, 1));
  }

  /**
   * A dilated (atrous) convolution, stride 1, as in DeepLab: the square window's taps are {@code
   * dilation} pixels apart, so {@code kernel} taps span {@code (kernel - 1) dilation + 1} pixels
   * with the parameters of a {@code kernel}-wide window.
   */
  public B dilatedConv2d(int filters, int kernel, int dilation, Padding padding,
      boolean useBias) {
    return append(new LayerSpec.Conv2d(filters, kernel, 1, padding, useBias, kernel, 1, 1,
        dilation, dilation));
  }

  /**
   * A convolution with every option of {@link LayerSpec.Conv2d} at once, e.g. a grouped, dilated
   * 1x3 window; the record checks each against its allowed range.
   */
  public B conv2d(LayerSpec.Conv2d spec) {
    checkArgument(spec != null, "conv2d spec must not be null");
    return append(spec);
  }

  /** A batch normalisation with Keras' defaults: momentum 0.99, epsilon 1e-3. */
  public B batchNorm() {
    return append(new LayerSpec.BatchNorm());
  }

  /** A batch normalisation with momentum in [0, 1) and epsilon in (0, 1]. */
  public B batchNorm(double momentum, double epsilon) {
    return append(new LayerSpec.BatchNorm(momentum, epsilon));
  }

  /** A ReLU activation. */
  public B relu() {
    return append(new LayerSpec.Relu());
  }

  /** A ReLU capped at 6 (MobileNet's ReLU6). */
  public B relu6() {
    return append(LayerSpec.Relu.capped(6));
  }

  /**
   * A ReLU with Keras' options: the output capped at {@code maxValue} (positive; {@link
   * LayerSpec.Relu#NO_MAX} for none), inputs not above {@code threshold} (non-negative) giving
   * {@code negativeSlope (x - threshold)} (slope non-negative).
   */
  public B relu(double maxValue, double negativeSlope, double threshold) {
    return append(new LayerSpec.Relu(maxValue, negativeSlope, threshold));
  }

  /** An element-wise activation function, e.g. {@code activation(Activation.SWISH)}. */
  public B activation(Activation function) {
    return append(new LayerSpec.Nonlinearity(function));
  }

  /**
   * A depthwise convolution: each input channel convolved with its own square {@code kernel}-wide
   * filter, with the given stride and padding, no bias (a BatchNorm follows in MobileNets).
   */
  public B depthwiseConv2d(int kernel, int stride, Padding padding) {
    return depthwiseConv2d(kernel, stride, padding, 1, false);
  }

  /**
   * A depthwise convolution with {@code depthMultiplier} filters per input channel (in [1,
   * 65536]), with a bias only if {@code useBias}.
   */
  public B depthwiseConv2d(int kernel, int stride, Padding padding, int depthMultiplier,
      boolean useBias) {
    return append(new LayerSpec.DepthwiseConv2d(kernel, stride, padding, depthMultiplier,
        useBias));
  }

  /**
   * A dilated (atrous) depthwise convolution, stride 1, no bias: each channel's square window has
   * its taps {@code dilation} pixels apart, spanning {@code (kernel - 1) dilation + 1} pixels.
   */
  public B dilatedDepthwiseConv2d(int kernel, int dilation, Padding padding) {
    return append(new LayerSpec.DepthwiseConv2d(kernel, 1, padding, 1, false, dilation));
  }

  /**
   * A depthwise convolution with every option of {@link LayerSpec.DepthwiseConv2d} at once; the
   * record checks each against its allowed range.
   */
  public B depthwiseConv2d(LayerSpec.DepthwiseConv2d spec) {
    checkArgument(spec != null, "depthwiseConv2d spec must not be null");
    return append(spec);
  }

  /**
   * A depthwise separable convolution (Chollet 2017, Keras' {@code SeparableConv2D}): a depthwise
   * convolution with the given kernel, stride and padding, then a 1x1 convolution to {@code
   * filters} channels with a bias only if {@code useBias}. It is two layers, so each kernel is
   * one layer's.
   */
  public B separableConv2d(int filters, int kernel, int stride, Padding padding,
      boolean useBias) {
    depthwiseConv2d(kernel, stride, padding);
    return conv2d(filters, 1, 1, Padding.VALID, useBias);
  }

  /**
   * A depthwise separable convolution whose depthwise half is {@code depthwise} (e.g. dilated, as
   * Keras' {@code SeparableConv2D} with a {@code dilation_rate}), then a 1x1 convolution to {@code
   * filters} channels with a bias only if {@code useBias}.
   */
  public B separableConv2d(int filters, LayerSpec.DepthwiseConv2d depthwise, boolean useBias) {
    depthwiseConv2d(depthwise);
    return conv2d(filters, 1, 1, Padding.VALID, useBias);
  }

  /** Zero padding of {@code size} rows and columns on every side (in [0, 65536]). */
  public B zeroPadding(int size) {
    return zeroPadding(size, size, size, size);
  }

  /**
   * Zero padding with its own width on each side (each in [0, 65536]); Keras' applications pad
   * {@code (0, 1, 0, 1)} before a strided 3x3 convolution of an even-sized image.
   */
  public B zeroPadding(int top, int bottom, int left, int right) {
    return append(new LayerSpec.ZeroPadding(top, bottom, left, right));
  }

  /**
   * Cropping of {@code top} and {@code bottom} rows and {@code left} and {@code right} columns
   * (each in [0, 65536], leaving at least one row and column), as Keras' {@code Cropping2D}.
   */
  public B cropping(int top, int bottom, int left, int right) {
    return append(new LayerSpec.Cropping(top, bottom, left, right));
  }

  /**
   * Layer normalisation over each position's channels with epsilon in (0, 1] (ConvNeXt uses
   * 1e-6): gamma and beta start at 1 and 0 and are trained.
   */
  public B layerNormalization(double epsilon) {
    return append(new LayerSpec.LayerNorm(epsilon));
  }

  /** Layer normalisation with Keras' default epsilon, 1e-3. */
  public B layerNormalization() {
    return layerNormalization(LayerSpec.LayerNorm.DEFAULT_EPSILON);
  }

  /** Maximum over height and width: a channels vector, as Keras' {@code GlobalMaxPooling2D}. */
  public B globalMaxPool() {
    return globalMaxPool(false);
  }

  /** Maximum over height and width, with {@code keepdims} a 1 x 1 x channels image. */
  public B globalMaxPool(boolean keepdims) {
    return append(new LayerSpec.GlobalMaxPool(keepdims));
  }

  /**
   * A ReLU with a trained slope per channel below zero (Keras' {@code PReLU} with
   * {@code shared_axes=[1, 2]} on images), the slopes starting at 0.
   */
  public B prelu() {
    return append(new LayerSpec.PRelu());
  }

  /**
   * A ReLU with trained slopes below zero, one slope shared along each of {@code sharedAxes}
   * (Keras' {@code shared_axes}; empty: a slope per value), the slopes starting at 0.
   */
  public B prelu(java.util.Set<LayerSpec.PRelu.Axis> sharedAxes) {
    return append(new LayerSpec.PRelu(sharedAxes));
  }

  /** A trained per-channel scale (ConvNeXt's LayerScale), starting at 1. */
  public B layerScale() {
    return append(new LayerSpec.LayerScale());
  }

  /** {@code x scale + offset} with finite constants, e.g. {@code rescaling(1 / 255.0, 0)}. */
  public B rescaling(double scale, double offset) {
    return append(new LayerSpec.Rescaling(scale, offset));
  }

  /**
   * Per-channel standardisation by a stored mean and variance ({@code (x - mean) / sqrt(var)}),
   * which start at 0 and 1 and are set with {@link Cnn#setParameters}, not trained.
   */
  public B normalization() {
    return append(new LayerSpec.Normalization());
  }

  /** Reshapes each example to {@code shape} (1 to 3 positive sizes, the same number of values). */
  public B reshape(int... shape) {
    checkArgument(shape != null, "shape must not be null");
    return append(new LayerSpec.Reshape(java.util.Arrays.stream(shape).boxed().toList()));
  }

  /** Max pooling over {@code size} x {@code size} windows with stride {@code size}. */
  public B maxPool(int size) {
    return maxPool(size, size);
  }

  /** Max pooling with an explicit stride. */
  public B maxPool(int size, int stride) {
    return append(new LayerSpec.MaxPool(size, stride));
  }

  /** Average pooling over {@code size} x {@code size} windows with stride {@code size}. */
  public B avgPool(int size) {
    return avgPool(size, size);
  }

  /** Average pooling with an explicit stride. */
  public B avgPool(int size, int stride) {
    return append(new LayerSpec.AvgPool(size, stride));
  }

  /** Max pooling with an explicit stride and padding. */
  public B maxPool(int size, int stride, Padding padding) {
    return append(new LayerSpec.MaxPool(size, stride, padding));
  }

  /** Average pooling with an explicit stride and padding (SAME averages the inside values only). */
  public B avgPool(int size, int stride, Padding padding) {
    return append(new LayerSpec.AvgPool(size, stride, padding));
  }

  /** The mean over height and width of each channel: an image becomes a channel vector. */
  public B globalAvgPool() {
    return append(new LayerSpec.GlobalAvgPool());
  }

  /** The mean over height and width of each channel, as a 1 x 1 x channels image if {@code keepdims}. */
  public B globalAvgPool(boolean keepdims) {
    return append(new LayerSpec.GlobalAvgPool(keepdims));
  }

  /** Flattens an image-shaped activation into a vector. */
  public B flatten() {
    return append(new LayerSpec.Flatten());
  }

  /** Dropout with {@code rate} in [0, 1), active only while training. */
  public B dropout(double rate) {
    return append(new LayerSpec.Dropout(rate));
  }

  /** A fully connected layer with {@code units} outputs and a bias. */
  public B dense(int units) {
    return dense(units, true);
  }

  /** A fully connected layer with {@code units} outputs, with a bias only if {@code useBias}. */
  public B dense(int units, boolean useBias) {
    return append(new LayerSpec.Dense(units, useBias));
  }

  /** A softmax; as the last layer, it makes the model output class probabilities. */
  public B softmax() {
    return append(new LayerSpec.Softmax());
  }

  /**
   * A residual block with an identity shortcut (He et al. 2016): the block's output is added to
   * its input, so the block must keep the shape.
   *
   * @param block adds the block's layers to the branch it receives and returns that branch
   */
  public B residual(Function<Cnn.Branch, Cnn.Branch> block) {
    checkArgument(block != null, "block must not be null");
    String blockEnd = branchEnd(block, "residual block");
    end = nodes.add(new LayerSpec.Add(), List.of(blockEnd, end));
    return self();
  }

  /**
   * A residual block whose output is added to the shortcut's output, such as a strided 1x1
   * convolution that matches a block changing the shape (He et al. 2016, projection shortcut).
   *
   * @param block adds the block's layers to the branch it receives and returns that branch
   * @param shortcut adds the shortcut's layers likewise
   */
  public B residual(Function<Cnn.Branch, Cnn.Branch> block,
      Function<Cnn.Branch, Cnn.Branch> shortcut) {
    checkArgument(block != null, "block must not be null");
    checkArgument(shortcut != null, "shortcut must not be null");
    String blockEnd = branchEnd(block, "residual block");
    String shortcutEnd = branchEnd(shortcut, "residual shortcut");
    end = nodes.add(new LayerSpec.Add(), List.of(blockEnd, shortcutEnd));
    return self();
  }

  /**
   * The channels of the chain's current output followed by those of {@code branch} reading it,
   * as DenseNet joins each conv block's output to its input (Huang et al. 2017).
   *
   * @param branch adds the branch's layers to the branch it receives and returns that branch
   */
  public B concat(Function<Cnn.Branch, Cnn.Branch> branch) {
    checkArgument(branch != null, "branch must not be null");
    String branchEnd = branchEnd(branch, "concat branch");
    end = nodes.add(new LayerSpec.Concat(), List.of(end, branchEnd));
    return self();
  }

  /**
   * The element-wise maximum of the chain's current output and that of {@code branch} reading it
   * (Keras' {@code Maximum}); the branch must keep the shape.
   *
   * @param branch adds the branch's layers to the branch it receives and returns that branch
   */
  public B maximum(Function<Cnn.Branch, Cnn.Branch> branch) {
    checkArgument(branch != null, "branch must not be null");
    String branchEnd = branchEnd(branch, "maximum branch");
    end = nodes.add(new LayerSpec.Maximum(), List.of(end, branchEnd));
    return self();
  }

  /**
   * A squeeze-and-excitation gate (Hu et al. 2018) on an image of {@code channels} channels: the
   * channel means, a 1x1 convolution to {@code reduced} channels and a ReLU, a 1x1 convolution
   * back to {@code channels} and a sigmoid, by which each channel is multiplied.
   */
  public B squeezeExcite(int channels, int reduced) {
    String input = end;
    globalAvgPool(true).conv2d(reduced, 1).relu().conv2d(channels, 1)
        .activation(Activation.SIGMOID);
    end = nodes.add(new LayerSpec.Multiply(), List.of(input, end));
    return self();
  }

  private String branchEnd(Function<Cnn.Branch, Cnn.Branch> layers, String role) {
    Cnn.Branch start = new Cnn.Branch(nodes, end);
    Cnn.Branch result = layers.apply(start);
    checkArgument(result == start, "the %s must return the branch it was given", role);
    return result.end();
  }

  /** Name of the node the next layer will read. */
  String end() {
    return end;
  }
}
