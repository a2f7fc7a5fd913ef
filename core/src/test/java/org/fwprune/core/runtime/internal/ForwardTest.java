package org.fwprune.core.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Padding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The forward pass pools before ReLU and uses the {@code MaxPool} op for speed: its logits and
 * weight gradients must equal those of the layers written one op each, in their order (ReLU,
 * then {@code tf.nn.maxPool}).
 */
class ForwardTest {

  private static final int FILTERS = 4;
  private static final int CLASSES = 3;
  private static final int BATCH = 5;

  /** Values of the logits, then of the gradients of a weighted logit sum w.r.t. every weight. */
  private record Values(float[] logits, List<float[]> gradients) {}

  @ParameterizedTest(name = "input {0}x{0}, pool size {1} stride {2}")
  @CsvSource({"10, 2, 2", "11, 2, 2", "12, 3, 2", "9, 2, 1"})
  void logits_equalReluThenPoolWrittenPlainly(int side, int size, int stride) {
    Values fast = run(side, size, stride, true);
    Values plain = run(side, size, stride, false);
    // Max and ReLU commute exactly; the tolerance only allows for a different summation order
    // in the dense layer's kernels.
    assertArrayEquals(plain.logits(), fast.logits(), 1e-5f);
  }

  @ParameterizedTest(name = "input {0}x{0}, pool size {1} stride {2}")
  @CsvSource({"10, 2, 2", "11, 2, 2", "12, 3, 2", "9, 2, 1"})
  void weightGradients_equalReluThenPoolWrittenPlainly(int side, int size, int stride) {
    Values fast = run(side, size, stride, true);
    Values plain = run(side, size, stride, false);
    for (int i = 0; i < plain.gradients().size(); i++) {
      // Absolute tolerance on gradients of order 1: summation order only.
      assertArrayEquals(plain.gradients().get(i), fast.gradients().get(i), 1e-4f,
          "gradient " + i);
    }
  }

  private static Values run(int side, int size, int stride, boolean library) {
    Architecture a = Architecture.chain(side, side, 1, List.of(
        new LayerSpec.Conv2d(FILTERS, 3, 1, Padding.VALID), new LayerSpec.Relu(),
        new LayerSpec.MaxPool(size, stride), new LayerSpec.Flatten(),
        new LayerSpec.Dense(CLASSES)), 1);
    Random random = new Random(7);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = constant(tf, random, BATCH, side, side, 1);
      Layer conv = a.weightedLayers().get(0);
      Layer dense = a.weightedLayers().get(1);
      int flat = dense.kernelShape().get(0).intValue();
      Operand<TFloat32> k1 = constant(tf, random, 3, 3, 1, FILTERS);
      Operand<TFloat32> b1 = constant(tf, random, FILTERS);
      Operand<TFloat32> k2 = constant(tf, random, flat, CLASSES);
      Operand<TFloat32> b2 = constant(tf, random, CLASSES);
      Operand<TFloat32> logits;
      if (library) {
        java.util.Map<String, Operand<TFloat32>> params = java.util.Map.of(
            conv.kernelKey(), k1, conv.biasKey(), b1, dense.kernelKey(), k2, dense.biasKey(), b2);
        logits = Forward.logits(tf, a, x, params::get, false);
      } else {
        Operand<TFloat32> h = tf.nn.relu(tf.nn.biasAdd(
            tf.nn.conv2d(x, k1, List.of(1L, 1L, 1L, 1L), "VALID"), b1));
        h = tf.nn.maxPool(h, tf.constant(new int[] {1, size, size, 1}),
            tf.constant(new int[] {1, stride, stride, 1}), "VALID");
        h = tf.reshape(h, tf.constant(new long[] {-1, flat}));
        logits = tf.nn.biasAdd(tf.linalg.matMul(h, k2), b2);
      }
      Operand<TFloat32> weighted = tf.sum(
          tf.math.mul(logits, constant(tf, random, BATCH, CLASSES)),
          tf.constant(new int[] {0, 1}));
      Output<?>[] grads = g.addGradients(weighted.asOutput(), new Output<?>[] {
          k1.asOutput(), b1.asOutput(), k2.asOutput(), b2.asOutput()});
      Session.Runner runner = s.runner().fetch(logits);
      for (Output<?> grad : grads) {
        runner.fetch(grad);
      }
      try (Result r = runner.run()) {
        List<float[]> gradients = new ArrayList<>();
        for (int i = 1; i < r.size(); i++) {
          gradients.add(values((TFloat32) r.get(i)));
        }
        return new Values(values((TFloat32) r.get(0)), gradients);
      }
    }
  }

  /** A constant of standard normal values; the graph keeps a copy, the tensor is closed. */
  private static Operand<TFloat32> constant(Ops tf, Random random, long... shape) {
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape))) {
      t.scalars().forEach(v -> v.setFloat((float) random.nextGaussian()));
      return tf.constant(t);
    }
  }

  private static float[] values(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(out);
    return out;
  }
}
