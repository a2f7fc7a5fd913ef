package org.fwprune.core.runtime;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Padding;
import org.tensorflow.Operand;
import org.tensorflow.OperationBuilder;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * Builds the forward pass of an {@link Architecture} as graph ops, from any source of weights, so
 * the training graph, the exported serving graph and the pruners' own graphs are the same
 * computation.
 *
 * <p>Two choices make it faster than the layers written one op each, at identical values:
 * <ul>
 *   <li>A ReLU followed by max pooling is built as pooling, then ReLU. ReLU is monotone, so
 *       {@code max(relu(x)) = relu(max(x))} and the gradients agree too; ReLU and its gradient
 *       then run on the pooled tensor (a quarter of the elements for 2x2 pooling), and the
 *       convolution's bias add is no longer read by the ReLU gradient, so TensorFlow can fuse it.
 *   <li>Max pooling is the {@code MaxPool} op with its window as attributes, not the
 *       {@code MaxPoolV2} that {@code tf.nn.maxPool} emits: TensorFlow's oneDNN CPU kernels
 *       (and their gradient) only replace the former; {@code MaxPoolV2}'s gradient was the
 *       costliest op of the paper CNN's training step. docs/performance.md measures both changes
 *       together: training 1.3x faster than the network written one op per layer.
 * </ul>
 */
public final class Forward {

  private Forward() {}

  /** The kernel and bias operands of one weighted layer. */
  public record Weights(Operand<TFloat32> kernel, Operand<TFloat32> bias) {}

  /**
   * Returns the logits (the output before a final softmax) for input {@code x}.
   *
   * @param weights kernel and bias operands per weighted layer
   * @param training whether dropout is active
   */
  public static Operand<TFloat32> logits(Ops tf, Architecture architecture, Operand<TFloat32> x,
      Function<Layer, Weights> weights, boolean training) {
    return logits(tf, architecture, x, weights, training, (layer, h) -> h);
  }

  /**
   * Returns the logits for input {@code x} with {@code afterBias} applied to the output of every
   * weighted layer after its bias add (before its activation), for graphs that scale or tile
   * channels there.
   */
  public static Operand<TFloat32> logits(Ops tf, Architecture architecture, Operand<TFloat32> x,
      Function<Layer, Weights> weights, boolean training,
      BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> afterBias) {
    Operand<TFloat32> h = x;
    List<Layer> layers = architecture.resolvedLayers();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      LayerSpec spec = layer.spec();
      if (spec instanceof LayerSpec.Conv2d conv) {
        Weights w = weights.apply(layer);
        long s = conv.stride();
        h = tf.nn.conv2d(h, w.kernel(), List.of(1L, s, s, 1L),
            conv.padding() == Padding.SAME ? "SAME" : "VALID");
        h = afterBias.apply(layer, tf.nn.biasAdd(h, w.bias()));
      } else if (spec instanceof LayerSpec.Relu) {
        if (i + 1 < layers.size() && layers.get(i + 1).spec() instanceof LayerSpec.MaxPool pool) {
          h = maxPool(tf, h, pool);
          i++;
        }
        h = tf.nn.relu(h);
      } else if (spec instanceof LayerSpec.MaxPool pool) {
        h = maxPool(tf, h, pool);
      } else if (spec instanceof LayerSpec.Flatten) {
        h = tf.reshape(h, tf.constant(new long[] {-1, layer.outputShape().get(0)}));
      } else if (spec instanceof LayerSpec.Dropout dropout) {
        if (training && dropout.rate() > 0) {
          h = dropout(tf, h, dropout.rate(), architecture.seed(), i);
        }
      } else if (spec instanceof LayerSpec.Dense) {
        Weights w = weights.apply(layer);
        h = afterBias.apply(layer, tf.nn.biasAdd(tf.linalg.matMul(h, w.kernel()), w.bias()));
      } else if (spec instanceof LayerSpec.Softmax) {
        // The last softmax is left out: the loss works on logits for numerical stability, and
        // callers apply it to produce probabilities.
        if (i != layers.size() - 1) {
          h = tf.nn.softmax(h);
        }
      }
    }
    return h;
  }

  /** Max pooling with no padding, as the {@code MaxPool} op (see the class comment). */
  private static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> h, LayerSpec.MaxPool pool) {
    OperationBuilder b = tf.scope().opBuilder("MaxPool", "MaxPool");
    b.addInput(h.asOutput());
    b.setAttr("ksize", new long[] {1, pool.size(), pool.size(), 1});
    b.setAttr("strides", new long[] {1, pool.stride(), pool.stride(), 1});
    b.setAttr("padding", "VALID");
    return b.build().output(0);
  }

  /** Inverted dropout (Srivastava et al. 2014): keep with probability 1 - rate, scale by 1/(1 - rate). */
  private static Operand<TFloat32> dropout(Ops tf, Operand<TFloat32> h, double rate, long seed,
      int layerIndex) {
    Operand<TFloat32> u = tf.random.randomUniform(tf.shape(h), TFloat32.class,
        RandomUniform.seed(seed), RandomUniform.seed2((long) layerIndex + 1));
    Operand<TFloat32> keep = tf.dtypes.cast(
        tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
    return tf.math.mul(h, tf.math.mul(keep, tf.constant((float) (1.0 / (1.0 - rate)))));
  }

  /** Input placeholder shape for a batch of any size. */
  public static Shape inputShape(Architecture a) {
    return Shape.of(Shape.UNKNOWN_SIZE, a.height(), a.width(), a.channels());
  }
}
