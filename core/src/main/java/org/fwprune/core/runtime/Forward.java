package org.fwprune.core.runtime;

import java.util.List;
import java.util.function.Function;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Padding;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * Builds the forward pass of an {@link Architecture} as graph ops, from any source of weights, so
 * the training graph and the exported serving graph are the same computation.
 */
final class Forward {

  private Forward() {}

  /** The kernel and bias operands of one weighted layer. */
  record Weights(Operand<TFloat32> kernel, Operand<TFloat32> bias) {}

  /**
   * Returns the logits (the output before a final softmax) for input {@code x}.
   *
   * @param weights kernel and bias operands per weighted layer
   * @param training whether dropout is active
   */
  static Operand<TFloat32> logits(Ops tf, Architecture architecture, Operand<TFloat32> x,
      Function<Layer, Weights> weights, boolean training) {
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
        h = tf.nn.biasAdd(h, w.bias());
      } else if (spec instanceof LayerSpec.Relu) {
        h = tf.nn.relu(h);
      } else if (spec instanceof LayerSpec.MaxPool pool) {
        h = tf.nn.maxPool(h, tf.constant(new int[] {1, pool.size(), pool.size(), 1}),
            tf.constant(new int[] {1, pool.stride(), pool.stride(), 1}), "VALID");
      } else if (spec instanceof LayerSpec.Flatten) {
        h = tf.reshape(h, tf.constant(new long[] {-1, layer.outputShape().get(0)}));
      } else if (spec instanceof LayerSpec.Dropout dropout) {
        if (training && dropout.rate() > 0) {
          h = dropout(tf, h, dropout.rate(), architecture.seed(), i);
        }
      } else if (spec instanceof LayerSpec.Dense) {
        Weights w = weights.apply(layer);
        h = tf.nn.biasAdd(tf.linalg.matMul(h, w.kernel()), w.bias());
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
  static Shape inputShape(Architecture a) {
    return Shape.of(Shape.UNKNOWN_SIZE, a.height(), a.width(), a.channels());
  }
}
