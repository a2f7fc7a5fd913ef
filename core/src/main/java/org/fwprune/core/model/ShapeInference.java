package org.fwprune.core.model;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

/**
 * Derives one node's output shape and kernel shape from its input shapes, checking that the layer
 * fits them; every message names the layer and the shapes.
 */
final class ShapeInference implements LayerSpec.Visitor<Layer> {

  private final String name;
  private final List<String> inputs;
  private final List<List<Integer>> inputShapes;
  private final List<Integer> shape;

  ShapeInference(Node node, List<List<Integer>> inputShapes) {
    this.name = node.name();
    this.inputs = node.inputs();
    this.inputShapes = inputShapes;
    this.shape = inputShapes.get(0);
    checkArgument(node.spec().combinesInputs() ? inputShapes.size() >= 2 : inputShapes.size() == 1,
        "%s takes %s, got %s", name, node.spec().combinesInputs() ? "two or more inputs"
            : "one input", inputShapes.size());
  }

  private Layer layer(LayerSpec spec, List<Integer> out, List<Long> kernel) {
    return new Layer(name, spec, inputs, out, kernel);
  }

  @Override
  public Layer conv2d(LayerSpec.Conv2d conv) {
    requireImage();
    int in = shape.get(2);
    checkArgument(in % conv.groups() == 0,
        "%s: groups (%s) must divide both its %s input channels and its %s filters", name,
        conv.groups(), in, conv.filters());
    List<Integer> out = convolved(span(conv.kernel(), conv.dilation()),
        span(conv.kernelWidth(), conv.dilationWidth()), conv.stride(), conv.strideWidth(),
        conv.padding(), conv.filters());
    return layer(conv, out, List.of((long) conv.kernel(),
        (long) conv.kernelWidth(), (long) (in / conv.groups()), (long) conv.filters()));
  }

  /**
   * The pixels a window of {@code taps} taps spaced {@code dilation} apart covers, {@code (taps -
   * 1) dilation + 1}; capped at the largest int, which no input fits.
   */
  private static int span(int taps, int dilation) {
    return (int) Math.min((taps - 1L) * dilation + 1, Integer.MAX_VALUE);
  }

  /** The output shape of a convolution of this image, checking that its kernel fits. */
  private List<Integer> convolved(int kernel, int kernelWidth, int stride, int strideWidth,
      Padding padding, int channels) {
    requireImage();
    int oh = padding.outputSize(shape.get(0), kernel, stride);
    int ow = padding.outputSize(shape.get(1), kernelWidth, strideWidth);
    checkArgument(oh >= 1 && ow >= 1,
        "%s: kernel %s does not fit its %sx%s input with %s padding", name,
        kernel == kernelWidth ? kernel : kernel + "x" + kernelWidth, shape.get(0), shape.get(1),
        padding);
    return List.of(oh, ow, channels);
  }

  @Override
  public Layer batchNorm(LayerSpec.BatchNorm spec) {
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer relu(LayerSpec.Relu spec) {
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer maxPool(LayerSpec.MaxPool pool) {
    return pooled(pool, pool.size(), pool.stride(), pool.padding());
  }

  @Override
  public Layer avgPool(LayerSpec.AvgPool pool) {
    return pooled(pool, pool.size(), pool.stride(), pool.padding());
  }

  private Layer pooled(LayerSpec spec, int size, int stride, Padding padding) {
    requireImage();
    int oh = padding.outputSize(shape.get(0), size, stride);
    int ow = padding.outputSize(shape.get(1), size, stride);
    checkArgument(oh >= 1 && ow >= 1, "%s: pool size %s does not fit its %sx%s input",
        name, size, shape.get(0), shape.get(1));
    return layer(spec, List.of(oh, ow, shape.get(2)), List.of());
  }

  @Override
  public Layer globalAvgPool(LayerSpec.GlobalAvgPool spec) {
    return globalPooled(spec, spec.keepdims());
  }

  @Override
  public Layer globalMaxPool(LayerSpec.GlobalMaxPool spec) {
    return globalPooled(spec, spec.keepdims());
  }

  private Layer globalPooled(LayerSpec spec, boolean keepdims) {
    requireImage();
    return layer(spec, keepdims ? List.of(1, 1, shape.get(2)) : List.of(shape.get(2)),
        List.of());
  }

  @Override
  public Layer flatten(LayerSpec.Flatten spec) {
    requireImage();
    long n = (long) shape.get(0) * shape.get(1) * shape.get(2);
    checkArgument(n <= Integer.MAX_VALUE, "%s: %s features is too many", name, n);
    return layer(spec, List.of((int) n), List.of());
  }

  @Override
  public Layer dropout(LayerSpec.Dropout spec) {
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer dense(LayerSpec.Dense dense) {
    checkArgument(shape.size() == 1 || shape.size() == 3,
        "%s needs a flat or height x width x channels input but gets %s", name,
        Architecture.shapeText(shape));
    List<Integer> out = new java.util.ArrayList<>(shape);
    out.set(out.size() - 1, dense.units());
    return layer(dense, out, List.of((long) shape.get(shape.size() - 1), (long) dense.units()));
  }

  @Override
  public Layer softmax(LayerSpec.Softmax spec) {
    checkArgument(shape.size() == 1,
        "%s needs a flat input but gets %s", name, Architecture.shapeText(shape));
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer add(LayerSpec.Add spec) {
    return elementWise(spec, "add");
  }

  @Override
  public Layer maximum(LayerSpec.Maximum spec) {
    return elementWise(spec, "take the maximum of");
  }

  private Layer elementWise(LayerSpec spec, String verb) {
    for (int i = 1; i < inputShapes.size(); i++) {
      checkArgument(inputShapes.get(i).equals(shape),
          "%s cannot %s %s (from %s) and %s (from %s): the shapes must be equal", name, verb,
          Architecture.shapeText(shape), inputs.get(0),
          Architecture.shapeText(inputShapes.get(i)), inputs.get(i));
    }
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer zeroPadding(LayerSpec.ZeroPadding pad) {
    requireImage();
    long h = (long) shape.get(0) + pad.top() + pad.bottom();
    long w = (long) shape.get(1) + pad.left() + pad.right();
    checkArgument(h <= Architecture.MAX_INPUT && w <= Architecture.MAX_INPUT,
        "%s: padding %s gives a %sx%s image, above %s", name, Architecture.shapeText(shape), h, w,
        Architecture.MAX_INPUT);
    return layer(pad, List.of((int) h, (int) w, shape.get(2)), List.of());
  }

  @Override
  public Layer depthwiseConv2d(LayerSpec.DepthwiseConv2d conv) {
    requireImage();
    long channels = (long) shape.get(2) * conv.depthMultiplier();
    checkArgument(channels <= LayerSpec.MAX_SIZE, "%s: %s input channels times depth multiplier"
        + " %s is above %s", name, shape.get(2), conv.depthMultiplier(), LayerSpec.MAX_SIZE);
    int span = span(conv.kernel(), conv.dilation());
    List<Integer> out = convolved(span, span, conv.stride(), conv.stride(), conv.padding(),
        (int) channels);
    return layer(conv, out, List.of((long) conv.kernel(),
        (long) conv.kernel(), (long) shape.get(2), (long) conv.depthMultiplier()));
  }

  @Override
  public Layer nonlinearity(LayerSpec.Nonlinearity spec) {
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer concat(LayerSpec.Concat spec) {
    requireImage();
    long channels = 0;
    for (int i = 0; i < inputShapes.size(); i++) {
      List<Integer> s = inputShapes.get(i);
      checkArgument(s.size() == 3 && s.subList(0, 2).equals(shape.subList(0, 2)),
          "%s cannot concatenate %s (from %s) and %s (from %s): the heights and widths must be"
              + " equal", name, Architecture.shapeText(shape), inputs.get(0),
          Architecture.shapeText(s), inputs.get(i));
      channels += s.get(2);
    }
    checkArgument(channels <= LayerSpec.MAX_SIZE, "%s: %s channels is above %s", name, channels,
        LayerSpec.MAX_SIZE);
    return layer(spec, List.of(shape.get(0), shape.get(1), (int) channels), List.of());
  }

  @Override
  public Layer multiply(LayerSpec.Multiply spec) {
    List<Integer> out = new java.util.ArrayList<>(shape);
    for (int i = 1; i < inputShapes.size(); i++) {
      List<Integer> s = inputShapes.get(i);
      boolean fits = s.size() == out.size();
      for (int a = 0; fits && a < s.size(); a++) {
        fits = s.get(a).equals(out.get(a)) || s.get(a) == 1 || out.get(a) == 1;
        out.set(a, Math.max(s.get(a), out.get(a)));
      }
      checkArgument(fits, "%s cannot multiply %s (from %s) and %s (from %s): each axis must be"
          + " equal or 1", name, Architecture.shapeText(shape), inputs.get(0),
          Architecture.shapeText(s), inputs.get(i));
    }
    return layer(spec, out, List.of());
  }

  @Override
  public Layer reshape(LayerSpec.Reshape spec) {
    long in = shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
    long out = spec.shape().stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
    checkArgument(in == out, "%s cannot reshape %s (%s values) to %s (%s values)", name,
        Architecture.shapeText(shape), in, Architecture.shapeText(spec.shape()), out);
    return layer(spec, spec.shape(), List.of());
  }

  @Override
  public Layer rescaling(LayerSpec.Rescaling spec) {
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer normalization(LayerSpec.Normalization spec) {
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer layerNorm(LayerSpec.LayerNorm spec) {
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer layerScale(LayerSpec.LayerScale spec) {
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer prelu(LayerSpec.PRelu spec) {
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer cropping(LayerSpec.Cropping crop) {
    requireImage();
    int h = shape.get(0) - crop.top() - crop.bottom();
    int w = shape.get(1) - crop.left() - crop.right();
    checkArgument(h >= 1 && w >= 1, "%s: cropping %s rows and %s columns leaves nothing of its"
        + " %s input", name, crop.top() + crop.bottom(), crop.left() + crop.right(),
        Architecture.shapeText(shape));
    return layer(crop, List.of(h, w, shape.get(2)), List.of());
  }

  private void requireImage() {
    checkArgument(shape.size() == 3,
        "%s needs a height x width x channels input but gets the flat %s", name,
        Architecture.shapeText(shape));
  }
}
