package org.fwprune.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.SelectionMethod;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;

/**
 * Loads the full-size Keras Applications families written by {@code
 * tools/keras/full_families.py} into fwprune, compares fwprune's predictions with Keras' and saves
 * each loaded model back with {@code saveKeras} (into {@code OUT/saved/}, with fwprune's
 * predictions, for {@code tools/keras/check_saved.py} to load into Keras). For the families named
 * after the folder it also saves the model pruned to 50% by one-shot magnitude pruning
 * ({@code <family>-unstructured}) and a copy keeping half the channels of every prunable group,
 * ranked by L1 norm ({@code <family>-structured}), both without retraining: these runs check the
 * files, not what pruning costs in accuracy.
 *
 * <pre>java -cp examples/target/fwprune.jar org.fwprune.examples.KerasFamilies OUT [FAMILY...]</pre>
 */
public final class KerasFamilies {

  /**
   * One family's result.
   *
   * @param family the family, e.g. ResNet50
   * @param refusal empty when it loaded, else the importer's message
   * @param parameters Keras' count: trainable and non-trainable entries
   * @param loadSeconds the time {@code Cnn.loadKeras} took
   * @param maxAbsDifference the largest |fwprune - Keras| over the probe's softmax outputs
   * @param maxOutput the largest Keras output, to tell a saturated softmax
   * @param sameTopClass how many probe images fwprune and Keras give the same most likely class:
   *     where the softmax saturates, the one comparison that still says something
   * @param images the probe's images
   */
  public record Row(String family, String refusal, long parameters, double loadSeconds,
      double maxAbsDifference, double maxOutput, int sameTopClass, int images) {}

  private KerasFamilies() {}

  /**
   * Every {@code <family>.keras} in {@code folder}, in name order; the families in {@code pruned}
   * are also pruned both ways and saved.
   *
   * @throws IllegalArgumentException if {@code folder} is not a folder, or a family to prune has
   *     no file there (a misspelt name would otherwise be skipped without a word)
   */
  public static List<Row> run(Path folder, List<String> pruned) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(folder + " is not a folder: give the folder that"
          + " tools/keras/full_families.py wrote");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> p.toString().endsWith(".keras")).sorted().toList();
    }
    for (String family : pruned) {
      if (!Files.isRegularFile(folder.resolve(family + ".keras"))) {
        throw new IllegalArgumentException("no " + family + ".keras in " + folder
            + " to prune; the folder holds " + files.stream().map(f -> f.getFileName().toString())
            .toList());
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Path file : files) {
      rows.add(family(file, folder.resolve("saved"), pruned));
    }
    return rows;
  }

  private static Row family(Path file, Path saved, List<String> pruned) throws IOException {
    String family = file.getFileName().toString().replace(".keras", "");
    JsonNode probe = new ObjectMapper().readTree(folderFile(file, ".json").toFile());
    float[] expected = floats(probe.get("outputs"));
    double maxOutput = 0;
    for (float v : expected) {
      maxOutput = Math.max(maxOutput, v);
    }
    long start = System.nanoTime();
    Cnn model;
    try {
      model = Cnn.loadKeras(file);
    } catch (IllegalArgumentException | IOException e) {
      return new Row(family, e.getMessage(), probe.get("parameters").asLong(), 0, Double.NaN,
          maxOutput, 0, 0);
    }
    try (model) {
      double seconds = (System.nanoTime() - start) / 1e9;
      JsonNode shape = probe.get("input_shape");
      Dataset inputs = Dataset.of(floats(probe.get("inputs")), new int[shape.get(0).asInt()],
          shape.get(1).asInt(), shape.get(2).asInt(), shape.get(3).asInt(),
          model.architecture().numClasses());
      float[][] actual = model.predict(inputs);
      double diff = 0;
      int sameTop = 0;
      for (int i = 0; i < actual.length; i++) {
        int classes = actual[i].length;
        for (int j = 0; j < classes; j++) {
          diff = Math.max(diff, Math.abs(actual[i][j] - expected[i * classes + j]));
        }
        if (argmax(actual[i], 0, classes) == argmax(expected, i * classes, classes)) {
          sameTop++;
        }
      }
      Files.createDirectories(saved);
      KerasRoundTrip.write(family, model, inputs, saved);
      if (pruned.contains(family)) {
        Dataset train = KerasRoundTrip.random(model, 4, KerasRoundTrip.SEED);
        try (StructuredResult smaller = StructuredPruner.builder()
            .selection(SelectionMethod.L1_NORM).keep(KeepRule.uniformFilters(0.5)).fineTuneSteps(0)
            .batchNormRecalibration(0).build().prune(model, train)) {
          KerasRoundTrip.write(family + "-structured", smaller.model(), inputs, saved);
        }
        MagnitudePruner.builder().targetSparsity(0.5).mode(MagnitudePruner.Mode.ONE_SHOT)
            .steps(0).batchNormRecalibration(0).seed(KerasRoundTrip.SEED).build()
            .prune(model, train);
        KerasRoundTrip.write(family + "-unstructured", model, inputs, saved);
      }
      long parameters = model.architecture().parameterCount()
          + model.architecture().nonTrainableCount();
      return new Row(family, "", parameters, seconds, diff, maxOutput, sameTop, actual.length);
    }
  }

  /** The index of the largest of {@code values[from .. from + n)}, counted from {@code from}. */
  private static int argmax(float[] values, int from, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) {
      if (values[from + j] > values[from + best]) {
        best = j;
      }
    }
    return best;
  }

  private static Path folderFile(Path keras, String suffix) {
    return keras.resolveSibling(keras.getFileName().toString().replace(".keras", suffix));
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  /** Prints one Markdown table row per family; argument: the folder full_families.py wrote. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: KerasFamilies FOLDER [FAMILY_TO_PRUNE...]");
      System.exit(2);
    }
    List<Row> rows;
    try {
      rows = run(Path.of(args[0]), List.of(args).subList(1, args.length));
    } catch (IllegalArgumentException e) {
      System.err.println("KerasFamilies: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.out.println("| family | loads | parameters | load s | max abs diff | max output"
        + " | same top class |");
    for (Row r : rows) {
      System.out.printf("| %s | %s | %,d | %.1f | %.3g | %.3g | %d of %d |%n", r.family(),
          r.refusal().isEmpty() ? "yes" : "no: " + r.refusal(), r.parameters(), r.loadSeconds(),
          r.maxAbsDifference(), r.maxOutput(), r.sameTopClass(), r.images());
    }
  }
}
