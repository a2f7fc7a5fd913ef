package org.fwprune.examples.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.serving.Predictor;

/**
 * How closely {@code Cnn.predictor()} reproduces {@code Cnn.predict} on a Keras file: with
 * fwprune-onnxruntime on the class path (the examples have it) the predictor is ONNX Runtime
 * running the model's {@code exportOnnx} form, so this measures the export's agreement on
 * networks too large for CI, such as the Keras families at 224x224 (issue 29, ask 1).
 *
 * <pre>
 * java -cp examples/target/fwprune.jar org.fwprune.examples.benchmark.OnnxAgreement IMAGES FILE.keras...
 * </pre>
 *
 * <p>Prints, per file, the predictor's engine, the largest absolute difference over {@code
 * IMAGES} random images (pixels uniform in [0, 1), seed 1) and the largest output, since a
 * softmax near 1/1000 makes any absolute difference small.
 */
public final class OnnxAgreement {

  /** The agreement of one model's predictor with its {@code predict}. */
  public record Row(String model, String engine, int images, double maxDifference,
      double largestOutput) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%s engine %s: max |predictor - predict| %.3g over %d images, largest output %.4g",
          model, engine, maxDifference, images, largestOutput);
    }
  }

  private OnnxAgreement() {}

  /** Compares {@code model.predictor()} with {@code model.predict} on {@code images} images. */
  public static Row measure(String name, Cnn model, int images) {
    if (images < 1) {
      throw new IllegalArgumentException("images must be at least 1, got " + images);
    }
    Dataset data = Roofline.randomImages(model.architecture(), images, new Random(1));
    float[][] expected = model.predict(data);
    double max = 0;
    double largest = 0;
    try (Predictor predictor = model.predictor()) {
      for (int i = 0; i < images; i++) {
        float[] actual = predictor.predict(data.image(i));
        for (int k = 0; k < actual.length; k++) {
          max = Math.max(max, Math.abs(actual[k] - expected[i][k]));
          largest = Math.max(largest, Math.abs(expected[i][k]));
        }
      }
      return new Row(name, predictor.engine(), images, max, largest);
    }
  }

  /** Arguments: number of images, then the Keras files. Prints one row per file. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: OnnxAgreement IMAGES FILE.keras [FILE.keras ...]");
    }
    int images = Integer.parseInt(args[0]);
    for (int i = 1; i < args.length; i++) {
      try (Cnn model = Cnn.loadKeras(Path.of(args[i]))) {
        System.out.println(measure(Path.of(args[i]).getFileName().toString(), model, images));
      }
    }
  }
}
