package org.fwprune.examples.structured;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.SelectionMethod;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;

/**
 * Accuracy of structured pruning on Keras Applications families (issue 28): the committed
 * miniatures built with the families' own Keras code (core/src/test/resources/keras/families,
 * 32x32x3, 10 classes) are loaded for their topology, initialised afresh from each seed, trained
 * on MNIST padded to 32x32 and copied to 3 channels, cut to half their multiply-adds with {@code
 * StructuredPruner} ({@code KeepRule.flops(0.5)}, L1-norm selection), fine-tuned for one epoch
 * and compared with the dense network on the test set.
 *
 * <p>Arguments: MNIST folder, epochs of dense training, then the {@code .keras} files; seeds 0, 1
 * and 2. Training: the first 20,000 training images, SGD 0.05 with momentum 0.9, batch 128, the
 * BatchNorm statistics re-estimated over 50 batches at the end of every run; the next 5,000 are
 * the validation images the fine-tune reports. Prints one line per family, seed and cut.
 *
 * <p>Options before the files, to look for why a family loses accuracy: {@code --seeds 0,2};
 * {@code --cuts flops:1,uniform:1,flops:3}, each cut of the same dense network a keep rule
 * ({@code flops}: the latency-guided {@code KeepRule.flops(0.5)}; {@code uniform}: {@code
 * KeepRule.uniformFlops(0.5)}, every group at the same fraction) and its fine-tune epochs; {@code
 * dense:E}, the dense network trained E epochs more (after every cut, each such control continuing
 * the one before), as the control for a longer fine-tune.
 */
public final class FamilyAccuracy {

  static final int TRAIN = 20_000;
  static final int VALIDATION = 5_000;
  static final int SIDE = 32;

  /** A cut of the trained network: the keep rule's kind and the fine-tune epochs after it. */
  record Cut(Rule rule, int epochs) {

    /** What a cut does, written in lower case on the command line. */
    enum Rule {
      /** The latency-guided {@code KeepRule.flops(0.5)}. */
      FLOPS,
      /** {@code KeepRule.uniformFlops(0.5)}: every group at the same fraction. */
      UNIFORM,
      /** No cut: the dense network trained on, the control for a longer fine-tune. */
      DENSE;

      KeepRule keep() {
        return switch (this) {
          case FLOPS -> KeepRule.flops(0.5);
          case UNIFORM -> KeepRule.uniformFlops(0.5);
          case DENSE -> throw new IllegalStateException("a dense control keeps every channel");
        };
      }
    }

    Cut {
      if (epochs < 1 || epochs > 100) {
        throw refused(rule.name().toLowerCase(Locale.ROOT) + ":" + epochs);
      }
    }

    /** {@code flops:1} and the like. */
    static Cut parse(String text) {
      String[] f = text.split(":", -1);
      if (f.length != 2) {
        throw new IllegalArgumentException("a cut is RULE:EPOCHS (e.g. flops:1), got " + text);
      }
      Rule rule = Stream.of(Rule.values()).filter(r -> r.name().equalsIgnoreCase(f[0]))
          .findFirst().orElseThrow(() -> refused(text));
      return new Cut(rule, Integer.parseInt(f[1]));
    }

    private static IllegalArgumentException refused(String text) {
      return new IllegalArgumentException("a cut is flops:E, uniform:E or dense:E with E in"
          + " [1, 100] epochs, got " + text);
    }
  }

  private FamilyAccuracy() {}

  /** Runs every family for the seeds and cuts given (default seeds 0 to 2, cut flops:1). */
  public static void main(String[] args) throws IOException {
    List<String> rest = new ArrayList<>(List.of(args));
    List<Long> seeds = List.of(0L, 1L, 2L);
    List<Cut> cuts = List.of(new Cut(Cut.Rule.FLOPS, 1));
    while (rest.size() > 1 && rest.get(0).startsWith("--")) {
      String option = rest.remove(0);
      String value = rest.remove(0);
      switch (option) {
        case "--seeds" -> seeds = Stream.of(value.split(",")).map(Long::parseLong).toList();
        case "--cuts" -> cuts = Stream.of(value.split(",")).map(Cut::parse).toList();
        default -> throw new IllegalArgumentException("unknown option " + option
            + "; options are --seeds and --cuts");
      }
    }
    if (rest.size() < 3) {
      throw new IllegalArgumentException("usage: FamilyAccuracy [--seeds S,...] [--cuts RULE:E,...]"
          + " MNIST_DIR EPOCHS FAMILY.keras [FAMILY.keras ...]");
    }
    Mnist mnist = Mnist.load(Path.of(rest.get(0)));
    int epochs = Integer.parseInt(rest.get(1));
    Dataset train = padToRgb(mnist.train().subset(0, TRAIN));
    Dataset validation = padToRgb(mnist.train().subset(TRAIN, TRAIN + VALIDATION));
    Dataset test = padToRgb(mnist.test());
    for (String file : rest.subList(2, rest.size())) {
      Architecture topology;
      try (Cnn loaded = Cnn.loadKeras(Path.of(file))) {
        topology = loaded.architecture();
      }
      String family = Path.of(file).getFileName().toString();
      for (long seed : seeds) {
        try (Cnn model = Cnn.of(topology.withSeed(seed),
            ExecutionOptions.builder().threads(2, 1).build())) {
          model.fit(train, training(seed).epochs(epochs).build());
          double dense = model.evaluate(test).accuracy();
          for (Cut cut : cuts) {
            if (cut.rule() != Cut.Rule.DENSE) {
              measure(family, seed, dense, cut, model, train, validation, test);
            }
          }
          // The controls train the dense network on, so they come after every cut; each
          // continues the one before, and the line gives the epochs added in all.
          int added = 0;
          for (Cut cut : cuts) {
            if (cut.rule() == Cut.Rule.DENSE) {
              model.fit(train, training(seed).epochs(cut.epochs()).build());
              added += cut.epochs();
              double longer = model.evaluate(test).accuracy();
              System.out.printf(Locale.ROOT, "%s seed %d dense %.4f dense+%d epochs %.4f"
                  + " (%+.2f points)%n", family, seed, dense, added, longer,
                  100 * (longer - dense));
            }
          }
        }
      }
    }
  }

  private static Training.Builder training(long seed) {
    return Training.builder().optimizer(Optimizers.momentum(0.05, 0.9)).batchSize(128)
        .seed(seed).batchNormRecalibration(50);
  }

  private static void measure(String family, long seed, double dense, Cut cut, Cnn model,
      Dataset train, Dataset validation, Dataset test) {
    try (StructuredResult smaller = StructuredPruner.builder()
        .selection(SelectionMethod.L1_NORM).keep(cut.rule().keep())
        .fineTune(Optimizers.momentum(0.05, 0.9)).fineTuneEpochs(cut.epochs()).seed(seed)
        .validation(validation).build().prune(model, train)) {
      double accuracy = smaller.model().evaluate(test).accuracy();
      System.out.printf(Locale.ROOT, "%s seed %d dense %.4f %s half-MACs+%d epoch %.4f"
          + " (%+.2f points) multiply-adds x%.3f parameters %d -> %d%n",
          family, seed, dense, cut.rule().name().toLowerCase(Locale.ROOT), cut.epochs(),
          accuracy, 100 * (accuracy - dense),
          1 / smaller.flopsReduction(), model.parameterCount(),
          smaller.model().parameterCount());
      System.out.flush();
    }
  }

  /** MNIST's 28x28x1 images centred in 32x32 (2 zero pixels each side), copied to 3 channels. */
  static Dataset padToRgb(Dataset gray) {
    if (gray.channels() != 1 || gray.height() != gray.width() || gray.height() > SIDE) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "padToRgb needs square one-channel images of at most %dx%d, got %dx%dx%d", SIDE, SIDE,
          gray.height(), gray.width(), gray.channels()));
    }
    int n = gray.size();
    int from = gray.height();
    int border = (SIDE - from) / 2;
    float[] images = new float[n * SIDE * SIDE * 3];
    for (int i = 0; i < n; i++) {
      float[] image = gray.image(i);
      int base = i * SIDE * SIDE * 3;
      for (int y = 0; y < from; y++) {
        for (int x = 0; x < from; x++) {
          int at = base + ((y + border) * SIDE + x + border) * 3;
          float v = image[y * from + x];
          images[at] = v;
          images[at + 1] = v;
          images[at + 2] = v;
        }
      }
    }
    return Dataset.of(images, gray.labels(), SIDE, SIDE, 3, gray.numClasses());
  }
}
