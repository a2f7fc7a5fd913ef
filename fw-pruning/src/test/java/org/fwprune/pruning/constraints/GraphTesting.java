package org.fwprune.pruning.constraints;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Test support shared by the constraint and schedule tests: running graph ops and making inputs;
 * float comparisons use {@link org.fwprune.core.testing.FloatAsserts}.
 */
public final class GraphTesting {

  private GraphTesting() {}

  /**
   * Builds ops in a fresh graph, runs them once, and returns a copy of each fetched float32 tensor,
   * flattened. Graph, session, result and tensors are all closed before returning.
   */
  public static List<float[]> run(Function<Ops, List<Operand<TFloat32>>> build) {
    try (Graph graph = new Graph()) {
      List<Operand<TFloat32>> fetches = build.apply(Ops.create(graph));
      try (Session session = new Session(graph)) {
        Session.Runner runner = session.runner();
        fetches.forEach(runner::fetch);
        try (Result result = runner.run()) {
          List<float[]> values = new ArrayList<>(fetches.size());
          for (int i = 0; i < fetches.size(); i++) {
            values.add(toArray((TFloat32) result.get(i)));
          }
          return values;
        }
      }
    }
  }

  /** {@link #run} for one fetch. */
  public static float[] runOne(Function<Ops, Operand<TFloat32>> build) {
    return run(tf -> List.of(build.apply(tf))).get(0);
  }

  /** A copy of the tensor's values in row-major order. */
  public static float[] toArray(TFloat32 tensor) {
    float[] values = new float[(int) tensor.shape().size()];
    tensor.copyTo(DataBuffers.of(values, false, false));
    return values;
  }

  /** A float32 constant of the given shape holding {@code values} in row-major order. */
  public static Operand<TFloat32> constant(Ops tf, float[] values, long... shape) {
    return tf.constant(Shape.of(shape), DataBuffers.of(values));
  }

  /** {@code n} standard-normal floats; with probability 1 their magnitudes are distinct. */
  public static float[] gaussian(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  /** {@code <a, b>} in double precision. */
  public static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  /** Number of exact zeros. */
  public static int zeros(float[] values) {
    int count = 0;
    for (float v : values) {
      if (v == 0f) {
        count++;
      }
    }
    return count;
  }
}
