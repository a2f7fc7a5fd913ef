package org.fwprune.core.runtime.internal;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable.Role;
import org.fwprune.core.model.Padding;
import org.fwprune.core.runtime.Precision;
import org.tensorflow.Operand;
import org.tensorflow.OperationBuilder;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds the forward pass of an {@link Architecture} as graph ops, from any source of parameters,
 * so the training graph, the exported serving graph and the pruners' own graphs are the same
 * computation. Each node is built once, from its inputs' outputs, by a {@link LayerSpec.Visitor}:
 * every kind of layer has its own method, so none can fall through unbuilt.
 *
 * <p>Two choices make it faster than the layers written one op each, at identical values:
 * <ul>
 *   <li>A ReLU read only by a max pooling is built as pooling, then ReLU. ReLU is monotone, so
 *       {@code max(relu(x)) = relu(max(x))} and the gradients agree too; ReLU and its gradient
 *       then run on the pooled tensor (a quarter of the elements for 2x2 pooling), and the
 *       convolution's bias add is no longer read by the ReLU gradient, so TensorFlow can fuse it.
 *   <li>Max pooling is the {@code MaxPool} op with its window as attributes, not the
 *       {@code MaxPoolV2} that {@code tf.nn.maxPool} emits: TensorFlow's oneDNN CPU kernels
 *       (and their gradient) only replace the former; {@code MaxPoolV2}'s gradient was the
 *       costliest op of the paper CNN's training step. docs/performance.md measures both changes
 *       together: training 1.3x faster than the network written one op per layer.
 * </ul>
 *
 * <p>BatchNorm while training normalises with the batch's mean and biased variance (as Keras 3
 * does) and reports them in {@link Pass#statistics()}, from which the caller builds the moving
 * averages' updates; at inference it uses the moving statistics.
 */
public final class Forward {

  /** The tensors of every layer, by key ({@code <layer>/kernel}, {@code <layer>/gamma}, ...). */
  @FunctionalInterface
  public interface Parameters {
    /** The operand holding the tensor called {@code key}. */
    Operand<TFloat32> get(String key);
  }

  /** One BatchNorm's batch statistics in a training pass. */
  public record BatchStatistics(Layer layer, Operand<TFloat32> mean, Operand<TFloat32> variance) {}

  /**
   * A built forward pass.
   *
   * @param logits the output before a final softmax
   * @param statistics the batch statistics of every BatchNorm (empty at inference)
   */
  public record Pass(Operand<TFloat32> logits, List<BatchStatistics> statistics) {
    /** Copies the list. */
    public Pass {
      statistics = ImmutableList.copyOf(statistics);
    }
  }

  private Forward() {}

  /**
   * Returns the logits (the output before a final softmax) for input {@code x}.
   *
   * @param training whether dropout is active and BatchNorm uses batch statistics
   */
  public static Operand<TFloat32> logits(Ops tf, Architecture architecture, Operand<TFloat32> x,
      Parameters parameters, boolean training) {
    return pass(tf, architecture, x, parameters, training, (layer, h) -> h).logits();
  }

  /**
   * Builds the pass for input {@code x} with {@code afterLinear} applied to the output of every
   * convolution and dense layer (after its bias, before what follows), for graphs that scale or
   * tile channels there.
   */
  public static Pass pass(Ops tf, Architecture architecture, Operand<TFloat32> x,
      Parameters parameters, boolean training,
      BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> afterLinear) {
    return pass(tf, architecture, x, parameters, training, Precision.FLOAT32, afterLinear);
  }

  /**
   * As {@link #pass(Ops, Architecture, Operand, Parameters, boolean, BiFunction)}, with the
   * convolution and dense products computed in {@code precision} (inputs and outputs stay
   * float32).
   */
  public static Pass pass(Ops tf, Architecture architecture, Operand<TFloat32> x,
      Parameters parameters, boolean training, Precision precision,
      BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> afterLinear) {
    return build(tf, architecture, x, parameters, training,
        (layer, h) -> layer.spec().hasKernel() ? afterLinear.apply(layer, h) : h, true,
        precision);
  }

  /**
   * Builds the pass for input {@code x} with {@code afterEach} applied to the output of every node
   * (the input excluded), for graphs that mask channels after a BatchNorm or tile the batch at any
   * node. ReLU before max pooling is built in layer order here, so that every node's output passes
   * through {@code afterEach}.
   */
  public static Pass passEach(Ops tf, Architecture architecture, Operand<TFloat32> x,
      Parameters parameters, boolean training,
      BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> afterEach) {
    return build(tf, architecture, x, parameters, training, afterEach, false, Precision.FLOAT32);
  }

  private static Pass build(Ops tf, Architecture architecture, Operand<TFloat32> x,
      Parameters parameters, boolean training,
      BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> afterEach, boolean reorderPooling,
      Precision precision) {
    Builder b = new Builder(tf, architecture, x, parameters, training, afterEach, reorderPooling,
        precision);
    List<Layer> layers = architecture.resolvedLayers();
    Operand<TFloat32> logits = b.output(layers.get(layers.size() - 1).name());
    return new Pass(logits, b.statistics);
  }

  /** Input placeholder shape for a batch of any size. */
  public static Shape inputShape(Architecture a) {
    return Shape.of(Shape.UNKNOWN_SIZE, a.height(), a.width(), a.channels());
  }

  /** Builds nodes on demand, each once, from the output backwards. */
  private static final class Builder {
    private final Ops tf;
    private final Architecture architecture;
    private final Parameters parameters;
    private final boolean training;
    private final BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> afterEach;
    private final boolean reorderPooling;
    private final Precision precision;
    private final Map<String, Layer> layers = new HashMap<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Operand<TFloat32>> outputs = new HashMap<>();
    private final List<BatchStatistics> statistics = new ArrayList<>();

    Builder(Ops tf, Architecture architecture, Operand<TFloat32> x, Parameters parameters,
        boolean training, BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> afterEach,
        boolean reorderPooling, Precision precision) {
      this.tf = tf;
      this.precision = precision;
      this.architecture = architecture;
      this.parameters = parameters;
      this.training = training;
      this.afterEach = afterEach;
      this.reorderPooling = reorderPooling;
      List<Layer> resolved = architecture.resolvedLayers();
      for (int i = 0; i < resolved.size(); i++) {
        layers.put(resolved.get(i).name(), resolved.get(i));
        index.put(resolved.get(i).name(), i);
      }
      outputs.put(Architecture.INPUT, x);
    }

    Operand<TFloat32> output(String name) {
      Operand<TFloat32> out = outputs.get(name);
      if (out == null) {
        Layer layer = layers.get(name);
        out = afterEach.apply(layer, layer.spec().accept(new NodeOps(this, layer)));
        outputs.put(name, out);
      }
      return out;
    }
  }

  /** The ops of one node. */
  private static final class NodeOps implements LayerSpec.Visitor<Operand<TFloat32>> {
    private final Builder b;
    private final Ops tf;
    private final Layer layer;

    NodeOps(Builder b, Layer layer) {
      this.b = b;
      this.tf = b.tf;
      this.layer = layer;
    }

    private Operand<TFloat32> in() {
      return b.output(layer.inputs().get(0));
    }

    private Operand<TFloat32> param(Role role) {
      return b.parameters.get(layer.key(role));
    }

    private Operand<TFloat32> linearEnd(Operand<TFloat32> h) {
      return layer.spec().hasBias() ? tf.nn.biasAdd(h, param(Role.BIAS)) : h;
    }

    @Override
    public Operand<TFloat32> conv2d(LayerSpec.Conv2d conv) {
      Operand<TFloat32> x = in();
      Operand<TFloat32> kernel = param(Role.KERNEL);
      if (conv.dilated()) {
        // TensorFlow's C++ gradient of Conv2D, which TF Java uses, drops the dilations
        // attribute: its backprop ops compute the kernel's gradient as if undilated (wrong
        // values under SAME, a shape error under VALID). So the window is widened instead: the
        // taps spaced by zero rows and columns sum the very same products.
        kernel = spaced(spaced(kernel, 0, conv.kernel(), conv.dilation()), 1,
            conv.kernelWidth(), conv.dilationWidth());
      }
      if (conv.groups() == 1) {
        return linearEnd(convolve(conv, x, kernel));
      }
      // TensorFlow's CPU kernels run a grouped Conv2D forward but refuse its gradients
      // ("Gradients for grouped convolutions are not supported on CPU", TF 2.18), which training
      // and pruning need: so each group is a convolution of its own consecutive channels by its
      // own consecutive filters, concatenated in group order, which is Keras' definition.
      Operand<TInt32> channels = tf.constant(3);
      List<Operand<TFloat32>> parts = new ArrayList<>();
      var xs = tf.split(channels, x, (long) conv.groups()).output();
      var ks = tf.split(channels, kernel, (long) conv.groups()).output();
      for (int g = 0; g < conv.groups(); g++) {
        parts.add(convolve(conv, xs.get(g), ks.get(g)));
      }
      return linearEnd(tf.concat(parts, channels));
    }

    /**
     * {@code kernel} with {@code rate - 1} zero slices after each of its {@code taps} slices
     * along window axis {@code axis} (0 rows, 1 columns), the trailing ones dropped: {@code (taps
     * - 1) rate + 1} slices. Built of pad, reshape and slice, whose gradients TensorFlow has.
     */
    private Operand<TFloat32> spaced(Operand<TFloat32> kernel, int axis, int taps, int rate) {
      if (rate == 1) {
        return kernel;
      }
      int inner = layer.kernelShape().get(2).intValue();
      int[][] pads = new int[5][2];
      pads[axis + 1][1] = rate - 1;
      Operand<TFloat32> padded = tf.pad(tf.expandDims(kernel, tf.constant(axis + 1)),
          tf.constant(pads), tf.constant(0f));
      // [.., taps, rate, ..] read as [.., taps * rate, ..]: each tap followed by its zeros.
      // int32 shapes: the gradient of Slice subtracts them from the int32 shape of its input.
      int[] merged = axis == 0 ? new int[] {taps * rate, -1, inner, 0}
          : new int[] {-1, taps * rate, inner, 0};
      merged[3] = layer.kernelShape().get(3).intValue();
      int[] size = {-1, -1, -1, -1};
      size[axis] = (taps - 1) * rate + 1;
      return tf.slice(tf.reshape(padded, tf.constant(merged)), tf.constant(new int[4]),
          tf.constant(size));
    }

    /**
     * One convolution of {@code x} by {@code kernel} with {@code conv}'s strides, in its precision.
     */
    private Operand<TFloat32> convolve(LayerSpec.Conv2d conv, Operand<TFloat32> x,
        Operand<TFloat32> kernel) {
      List<Long> strides = List.of(1L, (long) conv.stride(), (long) conv.strideWidth(), 1L);
      String padding = conv.padding() == Padding.SAME ? "SAME" : "VALID";
      if (b.precision == Precision.BFLOAT16_MIXED) {
        return toFloat32(tf.nn.conv2d(toBfloat16(x), toBfloat16(kernel), strides, padding));
      }
      return tf.nn.conv2d(x, kernel, strides, padding);
    }

    @Override
    public Operand<TFloat32> dense(LayerSpec.Dense dense) {
      Operand<TFloat32> x = in();
      List<Integer> out = layer.outputShape();
      if (out.size() == 3) {
        // On an image: every position's channels through the same kernel, as a [N H W, C]
        // product reshaped back.
        x = tf.reshape(x, tf.constant(new long[] {-1, layer.kernelShape().get(0)}));
      }
      Operand<TFloat32> product = b.precision == Precision.BFLOAT16_MIXED
          ? toFloat32(tf.linalg.matMul(toBfloat16(x), toBfloat16(param(Role.KERNEL))))
          : tf.linalg.matMul(x, param(Role.KERNEL));
      Operand<TFloat32> h = linearEnd(product);
      return out.size() == 3 ? tf.reshape(h, tf.constant(new long[] {-1, out.get(0), out.get(1),
          out.get(2)})) : h;
    }

    // Precision.BFLOAT16_MIXED: the product in bfloat16, everything around it in float32, as
    // Keras' mixed_bfloat16 policy computes a layer. The casts' gradients cast back, so the
    // variables receive float32 gradients.
    private Operand<TBfloat16> toBfloat16(Operand<TFloat32> h) {
      return tf.dtypes.cast(h, TBfloat16.class);
    }

    private Operand<TFloat32> toFloat32(Operand<TBfloat16> h) {
      return tf.dtypes.cast(h, TFloat32.class);
    }

    @Override
    public Operand<TFloat32> batchNorm(LayerSpec.BatchNorm spec) {
      Operand<TFloat32> x = in();
      if (layer.outputShape().size() == 3) {
        return fusedBatchNorm(x, spec);
      }
      Operand<TFloat32> mean;
      Operand<TFloat32> variance;
      if (b.training) {
        mean = tf.math.mean(x, tf.constant(0));
        variance = tf.math.mean(tf.math.squaredDifference(x, mean), tf.constant(0));
        b.statistics.add(new BatchStatistics(layer, mean, variance));
      } else {
        mean = param(Role.MOVING_MEAN);
        variance = param(Role.MOVING_VARIANCE);
      }
      // y = gamma (x - mean) / sqrt(var + eps) + beta, as one scale and one offset per feature.
      Operand<TFloat32> scale = tf.math.mul(param(Role.GAMMA),
          tf.math.rsqrt(tf.math.add(variance, tf.constant((float) spec.epsilon()))));
      Operand<TFloat32> offset = tf.math.sub(param(Role.BETA), tf.math.mul(mean, scale));
      return tf.math.add(tf.math.mul(x, scale), offset);
    }

    /**
     * BatchNorm of an image as TensorFlow's fused kernel (FusedBatchNormV3, which oneDNN
     * accelerates), the same computation in one op. In training it reports the batch variance
     * with Bessel's correction; the moving statistics take the biased one, as Keras 3 does, so it
     * is scaled back by (n - 1) / n with n = batch x height x width.
     */
    private Operand<TFloat32> fusedBatchNorm(Operand<TFloat32> x, LayerSpec.BatchNorm spec) {
      Operand<TFloat32> empty = tf.constant(new float[0]);
      if (!b.training) {
        return tf.nn.fusedBatchNorm(x, param(Role.GAMMA), param(Role.BETA),
            param(Role.MOVING_MEAN), param(Role.MOVING_VARIANCE),
            org.tensorflow.op.nn.FusedBatchNorm.epsilon((float) spec.epsilon()),
            org.tensorflow.op.nn.FusedBatchNorm.isTraining(false)).y();
      }
      var fused = tf.nn.fusedBatchNorm(x, param(Role.GAMMA), param(Role.BETA), empty, empty,
          org.tensorflow.op.nn.FusedBatchNorm.epsilon((float) spec.epsilon()),
          org.tensorflow.op.nn.FusedBatchNorm.isTraining(true));
      Operand<TFloat32> n = tf.dtypes.cast(tf.reduceProd(tf.slice(tf.shape(x),
          tf.constant(new int[] {0}), tf.constant(new int[] {3})), tf.constant(0)),
          TFloat32.class);
      Operand<TFloat32> biased = tf.math.mul(fused.batchVariance(),
          tf.math.div(tf.math.sub(n, tf.constant(1f)), n));
      b.statistics.add(new BatchStatistics(layer, fused.batchMean(), biased));
      return fused.y();
    }

    @Override
    public Operand<TFloat32> relu(LayerSpec.Relu spec) {
      return Activations.relu(tf, in(), spec);
    }

    @Override
    public Operand<TFloat32> maxPool(LayerSpec.MaxPool pool) {
      String input = layer.inputs().get(0);
      Layer source = b.layers.get(input);
      if (b.reorderPooling && source != null && source.spec() instanceof LayerSpec.Relu r
          && r.plain() && pool.padding() == Padding.VALID && b.architecture.consumers(input).equals(List.of(layer.name()))) {
        // Pool first, then ReLU: the same values (see the class comment), on fewer elements.
        return tf.nn.relu(pool("MaxPool", b.output(source.inputs().get(0)), pool.size(),
            pool.stride(), pool.padding()));
      }
      return pool("MaxPool", in(), pool.size(), pool.stride(), pool.padding());
    }

    @Override
    public Operand<TFloat32> avgPool(LayerSpec.AvgPool pool) {
      return pool("AvgPool", in(), pool.size(), pool.stride(), pool.padding());
    }

    /**
     * Pooling with its window as attributes (see the class comment). TensorFlow's SAME average
     * pooling divides by the number of input values in each window, as Keras does.
     */
    private Operand<TFloat32> pool(String op, Operand<TFloat32> h, int size, int stride,
        Padding padding) {
      OperationBuilder ob = tf.scope().opBuilder(op, op);
      ob.addInput(h.asOutput());
      ob.setAttr("ksize", new long[] {1, size, size, 1});
      ob.setAttr("strides", new long[] {1, stride, stride, 1});
      ob.setAttr("padding", padding == Padding.SAME ? "SAME" : "VALID");
      return ob.build().output(0);
    }

    @Override
    public Operand<TFloat32> globalAvgPool(LayerSpec.GlobalAvgPool spec) {
      return tf.math.mean(in(), tf.constant(new int[] {1, 2}),
          org.tensorflow.op.math.Mean.keepDims(spec.keepdims()));
    }

    @Override
    public Operand<TFloat32> globalMaxPool(LayerSpec.GlobalMaxPool spec) {
      return tf.max(in(), tf.constant(new int[] {1, 2}),
          org.tensorflow.op.core.Max.keepDims(spec.keepdims()));
    }

    @Override
    public Operand<TFloat32> flatten(LayerSpec.Flatten spec) {
      return tf.reshape(in(), tf.constant(new long[] {-1, layer.outputShape().get(0)}));
    }

    @Override
    public Operand<TFloat32> dropout(LayerSpec.Dropout spec) {
      Operand<TFloat32> h = in();
      if (!b.training || spec.rate() == 0) {
        return h;
      }
      // Inverted dropout (Srivastava et al. 2014): keep with probability 1 - rate, scale by
      // 1 / (1 - rate). Each dropout layer draws its own stream, from its position.
      double rate = spec.rate();
      Operand<TFloat32> u = tf.random.randomUniform(tf.shape(h), TFloat32.class,
          RandomUniform.seed(b.architecture.seed()),
          RandomUniform.seed2((long) b.index.get(layer.name()) + 1));
      Operand<TFloat32> keep = tf.dtypes.cast(
          tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
      return tf.math.mul(h, tf.math.mul(keep, tf.constant((float) (1.0 / (1.0 - rate)))));
    }

    @Override
    public Operand<TFloat32> softmax(LayerSpec.Softmax spec) {
      // Softmax is only allowed last, and the pass returns logits: the loss works on logits
      // for numerical stability, and callers apply the softmax to produce probabilities.
      return in();
    }

    @Override
    public Operand<TFloat32> add(LayerSpec.Add spec) {
      List<Operand<TFloat32>> terms = new ArrayList<>();
      for (String input : layer.inputs()) {
        terms.add(b.output(input));
      }
      return terms.size() == 2 ? tf.math.add(terms.get(0), terms.get(1)) : tf.math.addN(terms);
    }

    @Override
    public Operand<TFloat32> maximum(LayerSpec.Maximum spec) {
      return foldInputs(tf.math::maximum);
    }

    /** The layer's inputs combined by {@code op}, left to right. */
    private Operand<TFloat32> foldInputs(BinaryOperator<Operand<TFloat32>> op) {
      Operand<TFloat32> out = b.output(layer.inputs().get(0));
      for (String input : layer.inputs().subList(1, layer.inputs().size())) {
        out = op.apply(out, b.output(input));
      }
      return out;
    }

    @Override
    public Operand<TFloat32> zeroPadding(LayerSpec.ZeroPadding pad) {
      return tf.pad(in(), tf.constant(new int[][] {{0, 0}, {pad.top(), pad.bottom()},
          {pad.left(), pad.right()}, {0, 0}}), tf.constant(0f));
    }

    @Override
    public Operand<TFloat32> depthwiseConv2d(LayerSpec.DepthwiseConv2d conv) {
      long s = conv.stride();
      // The op's filter layout [k, k, in, multiplier] is Keras' depthwise kernel layout. A
      // dilated window is widened with zeros, as for Conv2D: the same products, and gradients
      // that do not depend on how TensorFlow's backprop ops treat the dilations attribute.
      Operand<TFloat32> kernel = param(Role.KERNEL);
      if (conv.dilation() > 1) {
        kernel = spaced(spaced(kernel, 0, conv.kernel(), conv.dilation()), 1, conv.kernel(),
            conv.dilation());
      }
      return linearEnd(tf.nn.depthwiseConv2dNative(in(), kernel,
          List.of(1L, s, s, 1L), conv.padding() == Padding.SAME ? "SAME" : "VALID"));
    }

    @Override
    public Operand<TFloat32> nonlinearity(LayerSpec.Nonlinearity spec) {
      return Activations.apply(tf, in(), spec.function());
    }

    @Override
    public Operand<TFloat32> concat(LayerSpec.Concat spec) {
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (String input : layer.inputs()) {
        parts.add(b.output(input));
      }
      return tf.concat(parts, tf.constant(-1));
    }

    @Override
    public Operand<TFloat32> multiply(LayerSpec.Multiply spec) {
      return foldInputs(tf.math::mul);
    }

    @Override
    public Operand<TFloat32> reshape(LayerSpec.Reshape spec) {
      long[] shape = new long[spec.shape().size() + 1];
      shape[0] = -1;
      for (int i = 0; i < spec.shape().size(); i++) {
        shape[i + 1] = spec.shape().get(i);
      }
      return tf.reshape(in(), tf.constant(shape));
    }

    @Override
    public Operand<TFloat32> rescaling(LayerSpec.Rescaling spec) {
      // Keras multiplies, then adds, in float32.
      return tf.math.add(tf.math.mul(in(), tf.constant((float) spec.scale())),
          tf.constant((float) spec.offset()));
    }

    @Override
    public Operand<TFloat32> normalization(LayerSpec.Normalization spec) {
      Operand<TFloat32> deviation = tf.math.maximum(tf.math.sqrt(param(Role.VARIANCE)),
          tf.constant((float) LayerSpec.Normalization.EPSILON));
      return tf.math.div(tf.math.sub(in(), param(Role.MEAN)), deviation);
    }
  
    /**
     * Keras' computation (keras.ops.layer_normalization): the mean and biased variance of each
     * position's channels, {@code inv = gamma / sqrt(variance + epsilon)}, then
     * {@code x inv + (beta - mean inv)}.
     */
    @Override
    public Operand<TFloat32> layerNorm(LayerSpec.LayerNorm spec) {
      Operand<TFloat32> x = in();
      Operand<TInt32> last = tf.constant(new int[] {-1});
      Operand<TFloat32> mean = tf.math.mean(x, last, org.tensorflow.op.math.Mean.keepDims(true));
      Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(x, mean), last,
          org.tensorflow.op.math.Mean.keepDims(true));
      Operand<TFloat32> inv = tf.math.mul(tf.math.rsqrt(tf.math.add(variance,
          tf.constant((float) spec.epsilon()))), param(Role.GAMMA));
      return tf.math.add(tf.math.mul(x, inv),
          tf.math.sub(param(Role.BETA), tf.math.mul(mean, inv)));
    }

    @Override
    public Operand<TFloat32> layerScale(LayerSpec.LayerScale spec) {
      return tf.math.mul(in(), param(Role.GAMMA));
    }

    @Override
    public Operand<TFloat32> prelu(LayerSpec.PRelu spec) {
      // Keras' own order of operations, relu(x) + (-alpha) relu(-x), for the same floats.
      Operand<TFloat32> x = in();
      return tf.math.add(tf.nn.relu(x),
          tf.math.mul(tf.math.neg(param(Role.ALPHA)), tf.nn.relu(tf.math.neg(x))));
    }

    @Override
    public Operand<TFloat32> cropping(LayerSpec.Cropping crop) {
      List<Integer> out = layer.outputShape();
      return tf.slice(in(), tf.constant(new int[] {0, crop.top(), crop.left(), 0}),
          tf.constant(new int[] {-1, out.get(0), out.get(1), -1}));
    }
  }
}
