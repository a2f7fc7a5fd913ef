package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.core.check.Require;

/**
 * One unit of the experiment: a method applied to the checkpoint of one seed after some epochs of
 * pre-training, at one target sparsity.
 *
 * @param method the method
 * @param pretrainEpochs epochs of pre-training of the checkpoint, at least 1
 * @param seed the seed of the network's initialisation and of every minibatch order, at least 0
 * @param targetSparsity the pruners' fraction of zeros over the kernels, in (0, 1)
 */
public record Cell(Method method, int pretrainEpochs, int seed, double targetSparsity) {

  /** Checks the ranges. */
  public Cell {
    checkArgument(method != null, "method must not be null");
    checkArgument(pretrainEpochs >= 1, "pretrainEpochs must be at least 1, got %s",
        pretrainEpochs);
    checkArgument(seed >= 0, "seed must be at least 0, got %s", seed);
    Require.inOpen("targetSparsity", targetSparsity, 0, 1);
  }

  @Override
  public String toString() {
    return method.id() + " @" + pretrainEpochs + " epochs, seed " + seed;
  }
}
