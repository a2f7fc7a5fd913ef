package org.fwprune.core.train;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.InputBatch;
import org.fwprune.core.runtime.ModelGraph;

/**
 * Re-estimates every BatchNorm layer's moving mean and variance on training batches without
 * changing any weight: the moving statistics become the plain average of the batch statistics
 * over {@code batches} minibatches (the i-th batch enters with rate 1/i). Pruning shifts the
 * activations a BatchNorm normalises, so statistics gathered before pruning no longer match; the
 * remedy of re-estimating them is PyTorch's {@code torch.optim.swa_utils.update_bn} (Izmailov et
 * al. 2018, sec. 3.2) and is used after pruning by, e.g., Li et al. 2020 ("EagleEye", sec. 3.1).
 */
public final class BatchNormRecalibration {

  /** Largest accepted number of batches. */
  public static final int MAX_BATCHES = 100_000;

  private BatchNormRecalibration() {}

  /**
   * Recalibrates the moving statistics of {@code graph} on {@code batches} minibatches of
   * {@code batchSize} drawn from {@code data} in the order given by {@code seed}.
   *
   * @throws IllegalArgumentException if the model has no BatchNorm layer, the data does not fit
   *     it, or an argument is out of range
   * @throws IllegalStateException if another thread is training or pruning the model
   */
  public static void run(ModelGraph graph, Dataset data, int batches, int batchSize, long seed) {
    Require.inClosed("BatchNorm recalibration batches", batches, 1, MAX_BATCHES);
    Require.inClosed("batch size", batchSize, 1, Training.MAX_BATCH_SIZE);
    checkArgument(graph.hasBatchNorm(),
        "the model has no BatchNorm layer, so there are no statistics to recalibrate");
    graph.checkCompatible(data, "recalibration data");
    BatchSampler sampler = new BatchSampler(data, batchSize, true, seed);
    try (ModelGraph.Lease lease = graph.exclusive("recalibrate BatchNorm");
        InputBatch batch = sampler.newBatch()) {
      for (int i = 1; i <= batches; i++) {
        sampler.next(batch);
        graph.updateStatistics(batch, 1.0 / i);
      }
    }
  }
}
