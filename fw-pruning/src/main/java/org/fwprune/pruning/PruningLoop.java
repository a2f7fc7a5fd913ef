package org.fwprune.pruning;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.PrunableModel;
import org.fwprune.core.train.DivergenceException;
import org.fwprune.core.train.internal.BatchNormRecalibration;
import org.fwprune.core.train.internal.BatchSampler;
import org.fwprune.core.train.internal.TrainStep;
import org.fwprune.pruning.schedule.SparsitySchedule;

/**
 * The budgeted loop every pruner runs: a fixed number of minibatch gradient evaluations, split
 * between fine-tune steps with the mask fixed and the pruner's own events (a Frank-Wolfe step, a
 * magnitude re-threshold), which happen every {@code frequency} evaluations during the pruning
 * phase. Counting gradients, not steps, gives every method the same budget.
 */
final class PruningLoop {

  /** What a pruner does at an event. */
  interface Event {
    /**
     * Changes weights and masks at evaluation index {@code t} towards {@code sparsity}.
     *
     * @return gradient evaluations it used (0 or 1)
     */
    int run(PrunableModel graph, long t, double sparsity);
  }

  private PruningLoop() {}

  static PruningReport run(Cnn model, Dataset train, PruningSettings settings, String method,
      Event event) {
    PrunableModel graph = model.prunable();
    graph.checkCompatible(train, "training data");
    int recalibration = BatchNormRecalibration.resolve(settings.recalibrationBatches,
        graph.architecture().hasBatchNorm());
    settings.validation().ifPresent(v -> graph.checkCompatible(v, "validation data"));
    try (ModelGraph.Lease lease = graph.exclusive("prune")) {
      long start = System.nanoTime();
      double before = settings.validation()
          .map(v -> model.evaluate(v).accuracy()).orElse(Double.NaN);
      long budget = settings.budget(train.size());
      long pruningEnd = settings.pruningEnd(budget);
      SparsitySchedule schedule = settings.schedule(budget);
      // Before the fine-tune step is built, so that it keeps the masks this run will write.
      graph.activateMasks();
      TrainStep fineTune = TrainStep.of(graph, settings.fineTune);
      // Run-scoped: this run's fine-tune starts with fresh optimizer state.
      fineTune.reset(graph, settings.fineTune);
      BatchSampler sampler = new BatchSampler(train, settings.batchSize, true, settings.seed);
      long evaluations = 0;
      long steps = 0;
      try (InputBatch batch = sampler.newBatch()) {
        for (long t = 0; evaluations < budget; t++) {
          double sparsity = schedule.sparsityAt(Math.min(t, pruningEnd));
          if (t <= pruningEnd && t % settings.frequency == 0) {
            int used = event.run(graph, evaluations, sparsity);
            if (used > 0) {
              evaluations += used;
              steps++;
              notify(settings, evaluations, budget, sparsity);
              continue;
            }
          }
          sampler.next(batch);
          double factor = settings.learningRateSchedule.factorAt(evaluations, budget);
          float[] loss = fineTune.run(graph, settings.fineTune, factor, batch,
              List.of(graph.trainLoss()));
          evaluations++;
          steps++;
          if (!Float.isFinite(loss[0])) {
            throw new DivergenceException("pruning fine-tune", sampler.epoch(), evaluations,
                loss[0]);
          }
          notify(settings, evaluations, budget, sparsity);
        }
      }
      // The schedule ends exactly at the target; this only matters when the budget ran out
      // before the pruning phase did (a budget shorter than the frequency).
      List<PruningReport.LayerSparsity> layers = SparsityMeter.measure(model);
      List<PruningReport.LayerSparsity> pruned = settings.prunedLayers.select(layers);
      if (SparsityMeter.overall(pruned) < settings.targetSparsity
          - 1.0 / Math.max(1, pruned.stream().mapToLong(l -> l.parameters()).sum())) {
        settings.masks(graph)
            .apply(graph, settings.targetSparsity);
        layers = SparsityMeter.measure(model);
      }
      if (recalibration > 0) {
        // The lease is reentrant: this thread may recalibrate while it holds it.
        model.recalibrateBatchNorm(train, recalibration);
      }
      double after = settings.validation()
          .map(v -> model.evaluate(v).accuracy()).orElse(Double.NaN);
      return new PruningReport(method,
          SparsityMeter.overall(settings.prunedLayers.select(layers)), layers, steps, evaluations,
          (System.nanoTime() - start) / 1e9, before, after);
    }
  }

  private static void notify(PruningSettings settings, long evaluations, long budget,
      double sparsity) {
    for (PruningListener l : settings.listeners) {
      l.onProgress(evaluations, budget, sparsity);
    }
  }
}
