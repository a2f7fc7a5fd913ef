package org.fwprune.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;

/**
 * Measures the pruners' BatchNorm default on Keras-trained networks, as a user who brings one
 * meets it: each {@code .keras} file (written by tools/keras/train_two_block_resnet.py) is loaded,
 * pruned to 90% with the natural call {@code MagnitudePruner.builder().targetSparsity(0.9).build()
 * .prune(model, train)}, which re-estimates the BatchNorm statistics at the end, and with the same
 * call and {@code .batchNormRecalibration(0)}; prints the held-out test accuracy of each next to
 * the loaded model's. Arguments: IDX folder (the 20,000 training images the files were trained on
 * and the 10,000 test images), then the {@code .keras} files.
 */
public final class KerasBatchNormPruning {

  private KerasBatchNormPruning() {}

  /** Prints one line per file: loaded, pruned with the default, pruned without re-estimation. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: KerasBatchNormPruning IDX_FOLDER FILE.keras [FILE.keras ...]");
    }
    Mnist data = Mnist.load(Path.of(args[0]));
    Dataset train = data.train().subset(0, BatchNormDefaults.TRAIN_SIZE);
    Dataset test = data.test();
    for (int i = 1; i < args.length; i++) {
      try (Cnn model = Cnn.loadKeras(Path.of(args[i]))) {
        double loaded = model.evaluate(test).accuracy();
        BatchNormDefaults.Pruned pruned = BatchNormDefaults.prune90(model, train, test);
        System.out.printf("%s loaded %.4f pruned 90%% default %.4f (%+.2f points)"
            + " batchNormRecalibration(0) %.4f (%+.2f points)%n", args[i], loaded,
            pruned.byDefault(), 100 * (pruned.byDefault() - loaded),
            pruned.withoutRecalibration(), 100 * (pruned.withoutRecalibration() - loaded));
      }
    }
  }
}
