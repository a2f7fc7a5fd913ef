package org.fwprune.core.runtime.internal;

import java.nio.file.Path;
import java.util.Map;
import org.fwprune.core.data.Dataset;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Runs a SavedModel written by {@link SavedModelWriter} the way a serving user would: loaded with
 * {@code SavedModelBundle} (tag {@code serve}) and called through its serving signature, so that
 * an export can be checked against the library's own predictions.
 */
public final class ServedModel {

  private ServedModel() {}

  /**
   * The output rows of the SavedModel in {@code dir} for every example of {@code data}, in one
   * call.
   *
   * @throws org.tensorflow.exceptions.TensorFlowException if {@code dir} holds no such SavedModel
   *     or its input does not fit {@code data}
   */
  public static float[][] predict(Path dir, Dataset data) {
    int n = data.size();
    int size = data.imageSize();
    float[] flat = new float[n * size];
    for (int i = 0; i < n; i++) {
      System.arraycopy(data.image(i), 0, flat, i * size, size);
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 input = TFloat32.tensorOf(Shape.of(n, data.height(), data.width(),
            data.channels()))) {
      input.asRawTensor().data().asFloats().write(flat);
      try (Result r = bundle.call(Map.of(SavedModelWriter.INPUT, input))) {
        TFloat32 out = (TFloat32) r.get(SavedModelWriter.OUTPUT).orElseThrow();
        int classes = (int) out.shape().get(1);
        float[][] rows = new float[n][classes];
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < classes; c++) {
            rows[i][c] = out.getFloat(i, c);
          }
        }
        return rows;
      }
    }
  }
}
