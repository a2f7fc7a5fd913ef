package org.fwprune.core.model;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The full, validated definition of a {@link Cnn}: input shape, layers and initialisation seed. It
 * is all {@link Cnn#load} needs to rebuild the graph, and the unit that {@link Cnn#save} writes.
 *
 * @param height input image height in pixels
 * @param width input image width in pixels
 * @param channels input channels (1 for grey-scale)
 * @param layers the layers, input to output
 * @param seed seed of the weight initialisers and of dropout
 */
public record Architecture(int height, int width, int channels, List<LayerSpec> layers, long seed) {

  /** Largest accepted input side or channel count. */
  public static final int MAX_INPUT = 1 << 14;

  /** Validates shapes layer by layer; the messages name the layer and both shapes. */
  public Architecture {
    checkArgument(height >= 1 && height <= MAX_INPUT,
        "input height must be in [1, %s], got %s", MAX_INPUT, height);
    checkArgument(width >= 1 && width <= MAX_INPUT,
        "input width must be in [1, %s], got %s", MAX_INPUT, width);
    checkArgument(channels >= 1 && channels <= MAX_INPUT,
        "input channels must be in [1, %s], got %s", MAX_INPUT, channels);
    layers = ImmutableList.copyOf(layers);
    resolve(height, width, channels, layers);
  }

  /** The layers with names, output shapes and kernel shapes. */
  public List<Layer> resolvedLayers() {
    return resolve(height, width, channels, layers);
  }

  /** The layers that own a kernel and a bias, in order. */
  public List<Layer> weightedLayers() {
    return resolvedLayers().stream().filter(l -> l.spec().hasWeights()).toList();
  }

  /** Number of trainable parameters (kernels and biases). */
  public long parameterCount() {
    return resolvedLayers().stream().mapToLong(Layer::parameterCount).sum();
  }

  /** Number of classes the model scores: the size of the last layer's output. */
  public int numClasses() {
    List<Layer> resolved = resolvedLayers();
    return resolved.get(resolved.size() - 1).outputShape().get(0);
  }

  /** Whether the last layer is a softmax, so that the model outputs probabilities. */
  public boolean endsWithSoftmax() {
    return layers.get(layers.size() - 1) instanceof LayerSpec.Softmax;
  }

  /** Input shape as text, e.g. {@code 28x28x1}. */
  public String inputShapeText() {
    return height + "x" + width + "x" + channels;
  }

  private static List<Layer> resolve(int h, int w, int c, List<LayerSpec> specs) {
    checkArgument(!specs.isEmpty(), "a model needs at least one layer");
    List<Layer> out = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    List<Integer> shape = List.of(h, w, c);
    for (int i = 0; i < specs.size(); i++) {
      LayerSpec spec = specs.get(i);
      checkArgument(spec != null, "layer %s is null", i);
      String name = spec.typeName() + "_" + counts.merge(spec.typeName(), 1, Integer::sum);
      List<Long> kernel = List.of();
      if (spec instanceof LayerSpec.Conv2d conv) {
        requireImage(name, shape);
        int oh = conv.padding().outputSize(shape.get(0), conv.kernel(), conv.stride());
        int ow = conv.padding().outputSize(shape.get(1), conv.kernel(), conv.stride());
        checkArgument(oh >= 1 && ow >= 1,
            "%s: kernel %s does not fit its %sx%s input with %s padding",
            name, conv.kernel(), shape.get(0), shape.get(1), conv.padding());
        kernel = List.of((long) conv.kernel(), (long) conv.kernel(), (long) shape.get(2),
            (long) conv.filters());
        shape = List.of(oh, ow, conv.filters());
      } else if (spec instanceof LayerSpec.MaxPool pool) {
        requireImage(name, shape);
        int oh = Padding.VALID.outputSize(shape.get(0), pool.size(), pool.stride());
        int ow = Padding.VALID.outputSize(shape.get(1), pool.size(), pool.stride());
        checkArgument(oh >= 1 && ow >= 1, "%s: pool size %s does not fit its %sx%s input",
            name, pool.size(), shape.get(0), shape.get(1));
        shape = List.of(oh, ow, shape.get(2));
      } else if (spec instanceof LayerSpec.Flatten) {
        requireImage(name, shape);
        long n = (long) shape.get(0) * shape.get(1) * shape.get(2);
        checkArgument(n <= Integer.MAX_VALUE, "%s: %s features is too many", name, n);
        shape = List.of((int) n);
      } else if (spec instanceof LayerSpec.Dense dense) {
        checkArgument(shape.size() == 1,
            "%s needs a flat input but gets %s; add flatten() before it", name, shapeText(shape));
        kernel = List.of((long) shape.get(0), (long) dense.units());
        shape = List.of(dense.units());
      } else if (spec instanceof LayerSpec.Softmax) {
        checkArgument(i == specs.size() - 1, "%s must be the last layer", name);
        checkArgument(shape.size() == 1,
            "%s needs a flat input but gets %s", name, shapeText(shape));
      }
      out.add(new Layer(name, spec, shape, kernel));
    }
    checkArgument(shape.size() == 1,
        "the last layer must output a vector of class scores, got %s; end with dense(classes)",
        shapeText(shape));
    checkArgument(out.stream().anyMatch(l -> l.spec().hasWeights()),
        "a model needs at least one conv2d or dense layer");
    return ImmutableList.copyOf(out);
  }

  private static void requireImage(String name, List<Integer> shape) {
    checkArgument(shape.size() == 3,
        "%s needs a height x width x channels input but gets the flat %s", name, shapeText(shape));
  }

  static String shapeText(List<Integer> shape) {
    return String.join("x", shape.stream().map(String::valueOf).toList());
  }
}
