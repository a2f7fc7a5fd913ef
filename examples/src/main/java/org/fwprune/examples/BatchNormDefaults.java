package org.fwprune.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.Cnn;
import org.fwprune.core.model.Padding;
import org.fwprune.core.train.EpochStats;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.MagnitudePruner;

/**
 * Measures the library's BatchNorm defaults as a new user meets them, on a two-block BatchNorm
 * ResNet on 20,000 MNIST images: (1) test accuracy after a one-epoch {@code fit} (SGD 0.05,
 * momentum 0.9, batch 128) with Keras' moving statistics, with the debiased warm-up alone, and
 * with today's default (the warm-up plus the re-estimation that ends a run still warming up),
 * each against the same model after {@code recalibrateBatchNorm(train, 50)}; (2) test accuracy
 * after the natural call {@code MagnitudePruner.builder().targetSparsity(0.9).build().prune(model,
 * train)} against the same call with re-estimation turned off. Prints one line per
 * seed and case. Arguments: [MNIST folder] [seeds, default 3].
 */
public final class BatchNormDefaults {

  /** One-epoch training set size, as in the measurement that found the trap. */
  static final int TRAIN_SIZE = 20_000;

  private BatchNormDefaults() {}

  /** Runs both measurements for seeds 0 to n-1. */
  public static void main(String[] args) throws IOException {
    Mnist mnist = args.length > 0 ? Mnist.load(Path.of(args[0])) : Mnist.load();
    int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Dataset train = mnist.train().subset(0, TRAIN_SIZE);
    Dataset test = mnist.test();
    for (int seed = 0; seed < seeds; seed++) {
      // Keras' statistics (the old default), the debiased warm-up alone, and today's default
      // (the warm-up plus the re-estimation that ends a run still warming up).
      fit(seed, false, 0, train, test).close();
      fit(seed, true, 0, train, test).close();
      try (Cnn model = fit(seed, true, -1, train, test)) {
        double dense = model.evaluate(test).accuracy();
        Pruned pruned = prune90(model, train, test);
        System.out.printf("prune seed %d dense %.4f default %.4f batchNormRecalibration(0) %.4f%n",
            seed, dense, pruned.byDefault(), pruned.withoutRecalibration());
      }
    }
  }

  /** Test accuracies of two copies pruned to 90%: by the natural call, and without re-estimation. */
  record Pruned(double byDefault, double withoutRecalibration) {}

  /**
   * Prunes two copies of {@code model} to 90% with {@code MagnitudePruner}: the natural call
   * (which re-estimates the BatchNorm statistics at the end) and the same call with
   * {@code batchNormRecalibration(0)}; {@code model} itself is unchanged.
   */
  static Pruned prune90(Cnn model, Dataset train, Dataset test) {
    double byDefault;
    try (Cnn twin = model.copy()) {
      MagnitudePruner.builder().targetSparsity(0.9).build().prune(twin, train);
      byDefault = twin.evaluate(test).accuracy();
    }
    try (Cnn twin = model.copy()) {
      MagnitudePruner.builder().targetSparsity(0.9).batchNormRecalibration(0).build()
          .prune(twin, train);
      return new Pruned(byDefault, twin.evaluate(test).accuracy());
    }
  }

  /**
   * Trains a fresh network for one epoch and prints its test accuracy next to that of a copy
   * re-estimated on 50 batches; {@code recalibration} -1 keeps {@code Training}'s default.
   */
  private static Cnn fit(long seed, boolean debias, int recalibration, Dataset train,
      Dataset test) {
    Cnn model = twoBlockResNet(seed, debias);
    Training.Builder training = Training.builder().optimizer(Optimizers.momentum(0.05, 0.9))
        .batchSize(128).epochs(1).seed(seed);
    if (recalibration >= 0) {
      training.batchNormRecalibration(recalibration);
    }
    EpochStats epoch = model.fit(train, training.build()).last();
    double fitted = model.evaluate(test).accuracy();
    double recalibrated;
    try (Cnn twin = model.copy()) {
      twin.recalibrateBatchNorm(train, 50);
      recalibrated = twin.evaluate(test).accuracy();
    }
    System.out.printf("fit seed %d debias %-5s end re-estimation %-7s train %.4f test %.4f"
        + " recalibrated %.4f gap %+.2f points%n", seed, debias,
        recalibration < 0 ? "default" : recalibration, epoch.accuracy(), fitted, recalibrated,
        100 * (fitted - recalibrated));
    return model;
  }

  /** conv16-BN-ReLU, a 16-channel and a 32-channel (stride 2) residual block, global pooling. */
  static Cnn twoBlockResNet(long seed, boolean debias) {
    return Cnn.builder().input(28, 28, 1)
        .conv2d(16, 3, 1, Padding.SAME, false).batchNorm().relu()
        .residual(b -> b.conv2d(16, 3, 1, Padding.SAME, false).batchNorm().relu()
            .conv2d(16, 3, 1, Padding.SAME, false).batchNorm())
        .relu()
        .residual(b -> b.conv2d(32, 3, 2, Padding.SAME, false).batchNorm().relu()
                .conv2d(32, 3, 1, Padding.SAME, false).batchNorm(),
            s -> s.conv2d(32, 1, 2, Padding.SAME, false).batchNorm())
        .relu()
        .globalAvgPool().dense(10).softmax()
        .seed(seed).batchNormDebias(debias).threads(2, 1)
        .build();
  }
}
