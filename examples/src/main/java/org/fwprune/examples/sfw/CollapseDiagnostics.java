package org.fwprune.examples.sfw;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.train.TrainingListener;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.Network;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.scope.PrunedLayers;
import org.fwprune.pruning.sfw.SfwTrainer;

/**
 * Why SFW-trained ResNet-20 collapses at 95% without retraining (issue 30, ask 3; docs/sfw.md,
 * "ResNet-20 at 95%"). Trains ResNet-20 with the study's SFW recipe (K-sparse polytope K = 5%,
 * tau 15, learning rate 1 divided by 10 for the last third, momentum 0.9, batch 128, 2 epochs) and
 * logs, every {@value #LOG_EVERY} steps, the distance to the pruned network: the L2 norm of the
 * kernel weights a global magnitude threshold would remove at 90% and 95%, absolute and as a
 * fraction of all kernel weights' norm (as ZIB's reference code logs it). Then prunes copies of
 * the trained network with no retraining (BatchNorm re-estimated over 50 batches, as the study's
 * ResNet-20 rows) to 90% and 95% in several ways: the global threshold over every kernel, the
 * first convolution and the classifier kept dense, and per-layer minimum densities; prints
 * validation and test accuracy and every kernel's kept fraction.
 *
 * <p>Arguments: MNIST folder, output folder, [seed, default 0], [threads, default 2]. The trained
 * network is saved to {@code OUT/model}; a rerun with that folder present skips the training.
 * Writes {@code OUT/distance.csv}, {@code OUT/variants.csv} and {@code OUT/layers.csv}.
 */
public final class CollapseDiagnostics {

  /** Steps between distance logs: a tenth of an MNIST epoch at batch 128. */
  static final int LOG_EVERY = 43;

  private static final double[] TARGETS = {0.9, 0.95};

  private CollapseDiagnostics() {}

  /** One way to prune the trained network. */
  record Variant(String name, PrunedLayers layers, double minimumDensity) {}

  static final List<Variant> VARIANTS = List.of(
      new Variant("global", PrunedLayers.ALL, 0),
      new Variant("first-and-last-dense", PrunedLayers.ALL_BUT_FIRST_AND_LAST, 0),
      new Variant("min-density-0.01", PrunedLayers.ALL, 0.01),
      new Variant("min-density-0.02", PrunedLayers.ALL, 0.02),
      new Variant("min-density-0.04", PrunedLayers.ALL, 0.04));

  /** Trains (or loads) the network, then prints and writes the diagnostics. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: CollapseDiagnostics MNIST_DIR OUT_DIR [seed=0] [threads=2]");
    }
    ExperimentData split = ExperimentData.mnist(Mnist.load(Path.of(args[0])));
    Path out = Path.of(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Files.createDirectories(out);
    Path saved = out.resolve("model");
    if (!Files.isDirectory(saved)) {
      try (Cnn model = Budget.model(Network.RESNET20, seed, threads);
          PrintStream distances = new PrintStream(
              Files.newOutputStream(out.resolve("distance.csv")), true)) {
        distances.println("step,target,removed_l2,removed_fraction_of_l2");
        SfwTrainer.builder().epochs(2).batchSize(Budget.BATCH_SIZE).seed(seed)
            .batchNormRecalibration(0).listener(new DistanceLog(model, distances,
                (split.train().size() + Budget.BATCH_SIZE - 1) / Budget.BATCH_SIZE)).build()
            .fit(model, split.train());
        model.save(saved);
      }
    }
    try (Cnn trained = Cnn.load(saved, ExecutionOptions.builder().threads(threads, 1).build());
        PrintStream variants = new PrintStream(
            Files.newOutputStream(out.resolve("variants.csv")), true);
        PrintStream layers = new PrintStream(
            Files.newOutputStream(out.resolve("layers.csv")), true)) {
      variants.println("variant,target,sparsity,validation_accuracy,test_accuracy");
      layers.println("variant,target,layer,parameters,kept_fraction");
      System.out.printf(Locale.ROOT, "dense: validation %.4f test %.4f%n",
          trained.evaluate(split.validation()).accuracy(),
          trained.evaluate(split.test()).accuracy());
      for (double target : TARGETS) {
        for (Variant v : VARIANTS) {
          try (Cnn copy = trained.copy()) {
            PruningReport r = MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT)
                .targetSparsity(target).steps(0).prunedLayers(v.layers())
                .minimumDensity(v.minimumDensity()).batchNormRecalibration(50).seed(seed)
                .build().prune(copy, split.train());
            String row = String.format(Locale.ROOT, "%s,%.2f,%.4f,%.4f,%.4f", v.name(), target,
                r.sparsity(), copy.evaluate(split.validation()).accuracy(),
                copy.evaluate(split.test()).accuracy());
            variants.println(row);
            System.out.println(row);
            for (PruningReport.LayerSparsity l : r.layers()) {
              layers.printf(Locale.ROOT, "%s,%.2f,%s,%d,%.4f%n", v.name(), target, l.name(),
                  l.parameters(), 1 - l.sparsity());
            }
          }
        }
      }
    }
  }

  /**
   * Logs the distance to the pruned network every {@value #LOG_EVERY} steps and at the end of each
   * epoch. Reads the weights on the training thread between steps.
   */
  private record DistanceLog(Cnn model, PrintStream sink, int stepsPerEpoch)
      implements TrainingListener {

    @Override
    public void onStep(int epoch, int step, double loss) {
      if (step % LOG_EVERY == 0 || step == stepsPerEpoch) {
        long t = (long) (epoch - 1) * stepsPerEpoch + step;
        float[] magnitudes = kernelMagnitudes(model);
        for (double target : TARGETS) {
          double[] removed = removedNorm(magnitudes, target);
          String row = String.format(Locale.ROOT, "%d,%.2f,%.6f,%.6f", t, target, removed[0],
              removed[1]);
          sink.println(row);
          System.out.println("distance " + row);
        }
      }
    }
  }

  /** Every conv and dense kernel weight's magnitude, sorted ascending. */
  static float[] kernelMagnitudes(Cnn model) {
    Map<String, float[]> parameters = model.parameters();
    List<float[]> kernels = new ArrayList<>();
    int n = 0;
    for (Layer layer : model.architecture().resolvedLayers()) {
      for (LayerVariable v : layer.variables()) {
        if (v.role() == LayerVariable.Role.KERNEL) {
          float[] k = parameters.get(v.key());
          kernels.add(k);
          n += k.length;
        }
      }
    }
    float[] all = new float[n];
    int at = 0;
    for (float[] k : kernels) {
      for (float w : k) {
        all[at++] = Math.abs(w);
      }
    }
    Arrays.sort(all);
    return all;
  }

  /**
   * The L2 norm of the {@code round(target N)} smallest magnitudes (what a global threshold at
   * {@code target} removes) and that norm over the norm of all of them.
   */
  static double[] removedNorm(float[] sortedMagnitudes, double target) {
    long zeros = Math.round(target * sortedMagnitudes.length);
    double removed = 0;
    double total = 0;
    for (int i = 0; i < sortedMagnitudes.length; i++) {
      double square = (double) sortedMagnitudes[i] * sortedMagnitudes[i];
      total += square;
      if (i < zeros) {
        removed += square;
      }
    }
    return new double[] {Math.sqrt(removed), total == 0 ? 0 : Math.sqrt(removed / total)};
  }
}
