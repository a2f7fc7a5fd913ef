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
    int oh = conv.padding().outputSize(shape.get(0), conv.kernel(), conv.stride());
    int ow = conv.padding().outputSize(shape.get(1), conv.kernel(), conv.stride());
    checkArgument(oh >= 1 && ow >= 1,
        "%s: kernel %s does not fit its %sx%s input with %s padding",
        name, conv.kernel(), shape.get(0), shape.get(1), conv.padding());
    return layer(conv, List.of(oh, ow, conv.filters()), List.of((long) conv.kernel(),
        (long) conv.kernel(), (long) shape.get(2), (long) conv.filters()));
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
    return pooled(pool, pool.size(), pool.stride());
  }

  @Override
  public Layer avgPool(LayerSpec.AvgPool pool) {
    return pooled(pool, pool.size(), pool.stride());
  }

  private Layer pooled(LayerSpec spec, int size, int stride) {
    requireImage();
    int oh = Padding.VALID.outputSize(shape.get(0), size, stride);
    int ow = Padding.VALID.outputSize(shape.get(1), size, stride);
    checkArgument(oh >= 1 && ow >= 1, "%s: pool size %s does not fit its %sx%s input",
        name, size, shape.get(0), shape.get(1));
    return layer(spec, List.of(oh, ow, shape.get(2)), List.of());
  }

  @Override
  public Layer globalAvgPool(LayerSpec.GlobalAvgPool spec) {
    requireImage();
    return layer(spec, List.of(shape.get(2)), List.of());
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
    checkArgument(shape.size() == 1,
        "%s needs a flat input but gets %s; add flatten() before it", name,
        Architecture.shapeText(shape));
    return layer(dense, List.of(dense.units()), List.of((long) shape.get(0),
        (long) dense.units()));
  }

  @Override
  public Layer softmax(LayerSpec.Softmax spec) {
    checkArgument(shape.size() == 1,
        "%s needs a flat input but gets %s", name, Architecture.shapeText(shape));
    return layer(spec, shape, List.of());
  }

  @Override
  public Layer add(LayerSpec.Add spec) {
    for (int i = 1; i < inputShapes.size(); i++) {
      checkArgument(inputShapes.get(i).equals(shape),
          "%s cannot add %s (from %s) and %s (from %s): the shapes must be equal", name,
          Architecture.shapeText(shape), inputs.get(0),
          Architecture.shapeText(inputShapes.get(i)), inputs.get(i));
    }
    return layer(spec, shape, List.of());
  }

  private void requireImage() {
    checkArgument(shape.size() == 3,
        "%s needs a height x width x channels input but gets the flat %s", name,
        Architecture.shapeText(shape));
  }
}
