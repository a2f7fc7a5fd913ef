package org.fwprune.examples;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.runtime.SavedModelWriter;
import org.fwprune.pruning.MagnitudePruner;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Checks a saved model the way a user relies on it: saved and loaded again it must hold the very
 * same tensors and predict the very same values; exported as a SavedModel and served through
 * {@code SavedModelBundle}, it must predict the library's values within float rounding. Done for
 * the model as given and for a copy pruned to 90% by gradual magnitude pruning.
 *
 * <pre>java -cp examples/target/fwprune.jar org.fwprune.examples.RoundTripCheck MODEL_DIR MNIST_DIR</pre>
 */
public final class RoundTripCheck {

  /** Examples of the test set compared. */
  static final int PROBE = 1000;

  /**
   * What one model's round trips gave.
   *
   * @param tensorsEqual whether save then load gave bit-identical tensors
   * @param predictionsEqual whether the loaded model predicts bit-identical values
   * @param maxServedDifference largest absolute difference between served and library outputs
   */
  public record Check(boolean tensorsEqual, boolean predictionsEqual,
      double maxServedDifference) {}

  private RoundTripCheck() {}

  /** Runs both checks on {@code model}, using {@code work} for files. */
  public static Check run(Cnn model, Dataset probe, Path work) throws IOException {
    Path saved = work.resolve("saved");
    Path served = work.resolve("served");
    model.save(saved);
    boolean tensorsEqual;
    boolean predictionsEqual;
    float[][] library = model.predict(probe);
    try (Cnn loaded = Cnn.load(saved)) {
      Map<String, float[]> a = model.parameters();
      Map<String, float[]> b = loaded.parameters();
      tensorsEqual = a.keySet().equals(b.keySet())
          && a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k), b.get(k)))
          && model.masks().keySet().stream().allMatch(
              k -> Arrays.equals(model.masks().get(k), loaded.masks().get(k)));
      predictionsEqual = Arrays.deepEquals(library, loaded.predict(probe));
    }
    model.exportSavedModel(served);
    double max = 0;
    int n = probe.size();
    float[] flat = new float[n * probe.imageSize()];
    for (int i = 0; i < n; i++) {
      System.arraycopy(probe.image(i), 0, flat, i * probe.imageSize(), probe.imageSize());
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(served.toString(), "serve");
        TFloat32 input = TFloat32.tensorOf(Shape.of(n, probe.height(), probe.width(),
            probe.channels()))) {
      input.asRawTensor().data().asFloats().write(flat);
      try (Result r = bundle.call(Map.of(SavedModelWriter.INPUT, input))) {
        TFloat32 out = (TFloat32) r.get(SavedModelWriter.OUTPUT).orElseThrow();
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < library[i].length; c++) {
            max = Math.max(max, Math.abs(out.getFloat(i, c) - library[i][c]));
          }
        }
      }
    }
    return new Check(tensorsEqual, predictionsEqual, max);
  }

  /** Arguments: the saved model's folder and the MNIST folder. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: RoundTripCheck MODEL_DIR MNIST_DIR");
      System.exit(2);
    }
    Mnist mnist = Mnist.load(Path.of(args[1]));
    Dataset probe = mnist.test().subset(0, PROBE);
    Path work = Files.createTempDirectory("roundtrip");
    try (Cnn model = Cnn.load(Path.of(args[0]))) {
      print("dense", run(model, probe, work.resolve("dense")));
      try (Cnn pruned = model.copy()) {
        MagnitudePruner.builder().targetSparsity(0.9).steps(100).frequency(10).build()
            .prune(pruned, mnist.train().subset(0, 55_000));
        print("pruned 90%", run(pruned, probe, work.resolve("pruned")));
      }
    } finally {
      MoreFiles.deleteRecursively(work, RecursiveDeleteOption.ALLOW_INSECURE);
    }
  }

  private static void print(String what, Check c) {
    System.out.printf("%s: save/load tensors bit-exact %s, predictions bit-exact %s;"
        + " SavedModel max |difference| %.3g over %d test images%n", what, c.tensorsEqual(),
        c.predictionsEqual(), c.maxServedDifference(), PROBE);
  }
}
