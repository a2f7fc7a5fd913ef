package org.fwprune.examples.structured;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
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
 * the validation images the fine-tune reports. Prints one line per family and seed.
 */
public final class FamilyAccuracy {

  static final int TRAIN = 20_000;
  static final int VALIDATION = 5_000;
  static final int SIDE = 32;

  private FamilyAccuracy() {}

  /** Runs every family for seeds 0 to 2. */
  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: FamilyAccuracy MNIST_DIR EPOCHS FAMILY.keras [FAMILY.keras ...]");
    }
    Mnist mnist = Mnist.load(Path.of(args[0]));
    int epochs = Integer.parseInt(args[1]);
    Dataset train = padToRgb(mnist.train().subset(0, TRAIN));
    Dataset validation = padToRgb(mnist.train().subset(TRAIN, TRAIN + VALIDATION));
    Dataset test = padToRgb(mnist.test());
    for (int f = 2; f < args.length; f++) {
      Architecture topology;
      try (Cnn file = Cnn.loadKeras(Path.of(args[f]))) {
        topology = file.architecture();
      }
      for (long seed = 0; seed < 3; seed++) {
        try (Cnn model = Cnn.of(topology.withSeed(seed),
            ExecutionOptions.builder().threads(2, 1).build())) {
          model.fit(train, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9))
              .batchSize(128).epochs(epochs).seed(seed).batchNormRecalibration(50).build());
          double dense = model.evaluate(test).accuracy();
          try (StructuredResult smaller = StructuredPruner.builder()
              .selection(SelectionMethod.L1_NORM).keep(KeepRule.flops(0.5))
              .fineTune(Optimizers.momentum(0.05, 0.9)).fineTuneEpochs(1).seed(seed)
              .validation(validation).build().prune(model, train)) {
            double cut = smaller.model().evaluate(test).accuracy();
            System.out.printf(Locale.ROOT, "%s seed %d dense %.4f half-MACs+1 epoch %.4f"
                + " (%+.2f points) multiply-adds x%.3f parameters %d -> %d%n",
                Path.of(args[f]).getFileName(), seed, dense, cut, 100 * (cut - dense),
                1 / smaller.flopsReduction(), model.parameterCount(),
                smaller.model().parameterCount());
          }
        }
      }
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
