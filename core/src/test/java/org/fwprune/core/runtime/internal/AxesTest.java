package org.fwprune.core.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class AxesTest {

  @ParameterizedTest(name = "rank {0}")
  @ValueSource(ints = {0, 1, 2, 4})
  void all_listsEveryAxisOfTheStaticRank(int rank) {
    long[] dims = new long[rank];
    Arrays.fill(dims, 2);
    int[] expected = new int[rank];
    for (int i = 0; i < rank; i++) {
      expected[i] = i;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.zeros(tf.constant(dims), TFloat32.class);
      try (Result r = s.runner().fetch(Axes.all(tf, tf.reshape(x, tf.constant(dims)))).run()) {
        TInt32 axes = (TInt32) r.get(0);
        int[] actual = new int[(int) axes.shape().size()];
        axes.asRawTensor().data().asInts().read(actual);
        assertArrayEquals(expected, actual);
      }
    }
  }
}
