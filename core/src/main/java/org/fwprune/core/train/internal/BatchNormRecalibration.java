package org.fwprune.core.train.internal;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.OptionalInt;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.train.Training;

/**
 * Re-estimates every BatchNorm layer's moving mean and variance on training batches without
 * changing any weight: the moving statistics become the plain average of the batch statistics
 * over {@code batches} minibatches (the i-th batch enters with rate 1/i). Pruning shifts the
 * activations a BatchNorm normalises, so statistics gathered before pruning no longer match; the
 * remedy of re-estimating them is PyTorch's {@code torch.optim.swa_utils.update_bn} (Izmailov et
 * al. 2018, sec. 3.2) and is used after pruning by, e.g., Li et al. 2020 ("EagleEye", sec. 3.1).
 */
public final class BatchNormRecalibration {

  private BatchNormRecalibration() {}

  /**
   * The batches a pruner or trainer re-estimates on when it ends: {@code explicit} when the user set
   * it, else {@link Training#DEFAULT_WARM_UP_RECALIBRATION} for a network with BatchNorm and 0 for
   * one without.
   *
   * @throws IllegalArgumentException if a positive count was set for a network without BatchNorm
   */
  public static int resolve(OptionalInt explicit, boolean hasBatchNorm) {
    checkApplies(explicit, hasBatchNorm);
    return explicit.orElse(hasBatchNorm ? Training.DEFAULT_WARM_UP_RECALIBRATION : 0);
  }

  /**
   * Refuses a positive count the user set for a network without BatchNorm, before any step.
   *
   * @throws IllegalArgumentException naming the count
   */
  public static void checkApplies(OptionalInt explicit, boolean hasBatchNorm) {
    checkArgument(explicit.orElse(0) == 0 || hasBatchNorm,
        "batchNormRecalibration(%s) needs a model with BatchNorm layers; this one has none",
        explicit.orElse(0));
  }

  /** How {@code toString}s show a setting: the count, or "default" when unset. */
  public static String describe(OptionalInt explicit) {
    return explicit.isPresent() ? Integer.toString(explicit.getAsInt()) : "default";
  }

  /**
   * Recalibrates the moving statistics of {@code graph} on {@code batches} minibatches of
   * {@code batchSize} drawn from {@code data} in the order given by {@code seed}.
   *
   * @throws IllegalArgumentException if the model has no BatchNorm layer, the data does not fit
   *     it, or an argument is out of range
   * @throws IllegalStateException if another thread is training or pruning the model
   */
  public static void run(ModelGraph graph, Dataset data, int batches, int batchSize, long seed) {
    Require.inClosed("BatchNorm recalibration batches", batches, 1,
        Training.MAX_RECALIBRATION_BATCHES);
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
