package org.fwprune.examples;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.examples.engine.EngineProbe;
import org.fwprune.pruning.MagnitudePruner;

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
    float[][] servedRows = EngineProbe.servedPredict(served, probe);
    double max = 0;
    for (int i = 0; i < library.length; i++) {
      for (int c = 0; c < library[i].length; c++) {
        max = Math.max(max, Math.abs(servedRows[i][c] - library[i][c]));
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
