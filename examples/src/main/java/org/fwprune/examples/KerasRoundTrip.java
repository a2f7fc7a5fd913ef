package org.fwprune.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;

/**
 * Writes three Keras archives for {@code tools/keras/check_saved.py} to load into real Keras: a
 * Keras model as loaded (dense), the same pruned to 90% sparsity by magnitude pruning (zeros
 * kept) and a structurally pruned (smaller) copy of a conv-ReLU-pool chain. Next to each
 * {@code <case>.keras} goes {@code <case>.json}: probe inputs and fwprune's predictions for them,
 * which the script compares with Keras'.
 *
 * <pre>java -cp examples/target/fwprune.jar org.fwprune.examples.KerasRoundTrip \
 *     core/src/test/resources/keras/sequential_cnn.keras core/src/test/resources/keras/paper_cnn.keras OUT_DIR</pre>
 */
public final class KerasRoundTrip {

  /** Probe images written for the comparison. */
  static final int PROBE = 16;
  /** Seed of the synthetic training and probe images. */
  static final long SEED = 11;

  /**
   * One written archive.
   *
   * @param name the case: dense, unstructured or structured
   * @param file the {@code .keras} file
   * @param parameters trainable parameters of the written model
   * @param kernelZeroFraction fraction of kernel entries that are exactly zero
   */
  public record Case(String name, Path file, long parameters, double kernelZeroFraction) {}

  private KerasRoundTrip() {}

  /**
   * Writes the dense and unstructured cases from {@code model} (any supported Keras model) and
   * the structured case from {@code chain} (a chain of convolutions and dense layers with biases,
   * ReLU, max pooling, flatten and dropout) into {@code out}.
   */
  public static List<Case> run(Path model, Path chain, Path out) throws IOException {
    Files.createDirectories(out);
    List<Case> cases = new ArrayList<>();
    try (Cnn dense = Cnn.loadKeras(model)) {
      Dataset train = random(dense, 256, SEED);
      Dataset probe = random(dense, PROBE, SEED + 1);
      cases.add(write("dense", dense, probe, out));
      MagnitudePruner.builder().targetSparsity(0.9).steps(20).seed(SEED).build()
          .prune(dense, train);
      cases.add(write("unstructured", dense, probe, out));
    }
    try (Cnn full = Cnn.loadKeras(chain)) {
      Dataset train = random(full, 256, SEED);
      try (StructuredResult result = StructuredPruner.builder().keep(KeepRule.uniformFilters(0.5))
          .fineTuneSteps(10).seed(SEED).build().prune(full, train)) {
        cases.add(write("structured", result.model(), random(full, PROBE, SEED + 1), out));
      }
    }
    return cases;
  }

  /** Gaussian images with random labels, shaped for {@code model}. */
  static Dataset random(Cnn model, int n, long seed) {
    var a = model.architecture();
    Random random = new Random(seed);
    float[] images = new float[n * a.height() * a.width() * a.channels()];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) random.nextGaussian();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(a.numClasses());
    }
    return Dataset.of(images, labels, a.height(), a.width(), a.channels(), a.numClasses());
  }

  static Case write(String name, Cnn model, Dataset probe, Path out) throws IOException {
    Path file = out.resolve(name + ".keras");
    model.saveKeras(file);
    long zeros = 0;
    long total = 0;
    for (float[] kernel : model.masks().keySet().stream()
        .map(k -> model.parameters().get(k)).toList()) {
      total += kernel.length;
      for (float v : kernel) {
        zeros += v == 0 ? 1 : 0;
      }
    }
    float[][] predictions = model.predict(probe);
    var a = model.architecture();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("input_shape", List.of(probe.size(), a.height(), a.width(), a.channels()));
    float[] inputs = new float[probe.size() * probe.imageSize()];
    for (int i = 0; i < probe.size(); i++) {
      System.arraycopy(probe.image(i), 0, inputs, i * probe.imageSize(), probe.imageSize());
    }
    json.put("inputs", inputs);
    json.put("fwprune_outputs", predictions);
    json.put("parameters", model.parameterCount());
    json.put("kernel_zero_fraction", (double) zeros / total);
    new ObjectMapper().writeValue(out.resolve(name + ".json").toFile(), json);
    return new Case(name, file, model.parameterCount(), (double) zeros / total);
  }

  /** Writes the three cases; arguments: a Keras model, a Keras chain model, the output folder. */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: KerasRoundTrip MODEL.keras CHAIN.keras OUT_DIR");
      System.exit(2);
    }
    for (Case c : run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]))) {
      System.out.printf("%s: %s, %d parameters, %.1f%% of kernel entries zero%n", c.name(),
          c.file(), c.parameters(), 100 * c.kernelZeroFraction());
    }
  }
}
