package org.fwprune.examples.sfw;

import org.fwprune.core.Cnn;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.Network;

/**
 * What the SFW studies share: the network, the gradient budget and the SGD-with-momentum baseline
 * that spends it (docs/sfw.md).
 */
final class Budget {

  /** Minibatch size of every study run. */
  static final int BATCH_SIZE = 128;

  private Budget() {}

  /**
   * {@code network} initialised from {@code seed}, with {@code threads} intra-op threads and one
   * inter-op thread.
   */
  static Cnn model(Network network, long seed, int threads) {
    // The studies' committed figures were measured before BatchNorm debiasing existed.
    return Cnn.of(network.architecture().withSeed(seed).withBatchNormDebias(false),
        ExecutionOptions.builder().threads(threads, 1).build());
  }

  /** Minibatch gradients of {@code epochs} passes over the training split. */
  static long steps(ExperimentData split, int epochs, int batchSize) {
    int n = split.train().size();
    return (long) epochs * ((n + batchSize - 1) / batchSize);
  }

  /** SGD with momentum 0.9, learning rate 0.05, for {@code steps} minibatches. */
  static Training sgdMomentum(long steps, int batchSize, long seed) {
    return Training.builder().optimizer(Optimizers.momentum(0.05, 0.9)).steps(steps)
        .batchSize(batchSize).seed(seed).build();
  }
}
