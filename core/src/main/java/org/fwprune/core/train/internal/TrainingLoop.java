package org.fwprune.core.train.internal;

import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.eval.internal.Evaluator;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.ScalarFeed;
import org.fwprune.core.train.DivergenceException;
import org.fwprune.core.train.EpochStats;
import org.fwprune.core.train.History;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.core.train.Training;
import org.fwprune.core.train.TrainingListener;
import org.tensorflow.op.Op;

/**
 * Runs minibatch training on a {@link ModelGraph}: seeded shuffling, one session run per step
 * with reused input tensors, the next batch filled in the background during each step
 * ({@link BatchPrefetcher}), the learning rate following the run's {@link LearningRateSchedule},
 * per-epoch statistics and validation, listeners.
 */
public final class TrainingLoop {

  private TrainingLoop() {}

  /**
   * Trains {@code graph} on {@code data} as {@code training} says, after taking exclusive use of
   * the model.
   *
   * @throws DivergenceException if the loss stops being finite
   * @throws IllegalStateException if another thread is training or pruning the same model
   */
  public static History fit(ModelGraph graph, Dataset data, Training training) {
    graph.checkCompatible(data, "training data");
    training.validation().ifPresent(v -> graph.checkCompatible(v, "validation data"));
    BatchNormRecalibration.checkApplies(training.batchNormRecalibration(), graph.hasBatchNorm());
    try (ModelGraph.Lease lease = graph.exclusive("fit")) {
      return run(graph, data, training);
    }
  }

  private static History run(ModelGraph graph, Dataset data, Training training) {
    // A fresh optimizer state for every run: nothing carries over from an earlier fit.
    TrainStep trainStep = TrainStep.of(graph, training.optimizer());
    trainStep.reset(graph, training.optimizer());
    Op step = trainStep.op();
    LearningRateSchedule schedule = training.learningRateSchedule();
    double rateFactor = 1;
    List<ScalarFeed> settings = trainStep.feeds(training.optimizer(), rateFactor);
    BatchSampler sampler = new BatchSampler(data, training.batchSize(), training.shuffle(),
        training.seed());
    int stepsPerEpoch = sampler.stepsPerEpoch();
    long maxSteps = training.maxSteps() > 0 ? training.maxSteps() : Long.MAX_VALUE;
    int epochs = training.maxSteps() > 0
        ? (int) Math.min(training.epochs(), (maxSteps + stepsPerEpoch - 1) / stepsPerEpoch)
        : training.epochs();
    training.listeners().forEach(l -> l.onStart(epochs, stepsPerEpoch));
    List<EpochStats> stats = new ArrayList<>();
    long globalStep = 0;
    long totalSteps = Math.min((long) epochs * stepsPerEpoch, maxSteps);
    try (BatchPrefetcher batches = new BatchPrefetcher(sampler, totalSteps)) {
      for (int epoch = 1; epoch <= epochs; epoch++) {
        long start = System.nanoTime();
        double lossSum = 0;
        double correct = 0;
        int seen = 0;
        int steps = 0;
        for (int s = 0; s < stepsPerEpoch && globalStep < maxSteps; s++) {
          double factor = schedule.factorAt(globalStep, totalSteps);
          if (factor != rateFactor) {
            rateFactor = factor;
            settings = trainStep.feeds(training.optimizer(), rateFactor);
          }
          InputBatch batch = batches.next();
          int count = batch.size();
          float[] r = graph.run(batch, settings, List.of(step),
              List.of(graph.trainLoss(), graph.trainCorrect()));
          globalStep++;
          steps++;
          if (!Float.isFinite(r[0])) {
            throw new DivergenceException("training", epoch, globalStep, r[0]);
          }
          lossSum += (double) r[0] * count;
          correct += r[1];
          seen += count;
          for (TrainingListener l : training.listeners()) {
            l.onStep(epoch, s + 1, r[0]);
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (epoch == epochs || globalStep >= maxSteps) {
          // Before the last validation, so that it sees the statistics the run leaves behind.
          recalibrate(graph, data, training);
        }
        double valLoss = Double.NaN;
        double valAccuracy = Double.NaN;
        if (training.validation().isPresent()) {
          Evaluation e = Evaluator.evaluate(graph, training.validation().get());
          valLoss = e.loss();
          valAccuracy = e.accuracy();
        }
        EpochStats epochStats = new EpochStats(epoch, steps, lossSum / seen, correct / seen,
            seconds, valLoss, valAccuracy);
        stats.add(epochStats);
        training.listeners().forEach(l -> l.onEpochEnd(epochStats));
      }
    }
    return new History(stats);
  }

  private static void recalibrate(ModelGraph graph, Dataset data, Training training) {
    if (!graph.hasBatchNorm()) {
      return;
    }
    int batches = training.batchNormRecalibration().orElseGet(() -> graph.statisticsWarmingUp()
        ? Training.DEFAULT_WARM_UP_RECALIBRATION : 0);
    if (batches > 0) {
      BatchNormRecalibration.run(graph, data, batches, training.batchSize(), training.seed());
    }
  }
}
