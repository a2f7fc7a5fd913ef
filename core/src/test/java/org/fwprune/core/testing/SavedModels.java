package org.fwprune.core.testing;

import java.nio.file.Path;
import java.util.Map;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.SavedModelWriter;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Runs an exported SavedModel the way a serving user would, for comparison with the library. */
public final class SavedModels {

  private SavedModels() {}

  /** The output rows of the SavedModel in {@code dir} for every example of {@code data}. */
  public static float[][] predict(Path dir, Dataset data, int classes) {
    int n = data.size();
    int size = data.imageSize();
    float[] flat = new float[n * size];
    for (int i = 0; i < n; i++) {
      System.arraycopy(data.image(i), 0, flat, i * size, size);
    }
    float[][] rows = new float[n][classes];
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 input = TFloat32.tensorOf(Shape.of(n, data.height(), data.width(),
            data.channels()))) {
      input.asRawTensor().data().asFloats().write(flat);
      try (Result r = bundle.call(Map.of(SavedModelWriter.INPUT, input))) {
        TFloat32 out = (TFloat32) r.get(SavedModelWriter.OUTPUT).orElseThrow();
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < classes; c++) {
            rows[i][c] = out.getFloat(i, c);
          }
        }
      }
    }
    return rows;
  }
}
