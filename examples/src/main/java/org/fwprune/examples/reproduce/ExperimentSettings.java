package org.fwprune.examples.reproduce;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.train.LearningRateSchedule;

/**
 * Every setting that changes a cell's numbers, so that two result folders may be resumed or
 * merged only when these are equal. The grid (budgets, methods, seeds) is not part of it: it
 * selects cells but does not change them.
 *
 * @param targetSparsity fraction of zeros over the kernels
 * @param fineTuneSteps minibatch gradients per method
 * @param lrGrid fine-tune learning rates tried
 * @param tuneBudget checkpoint (pre-training epochs) of the tuning phase
 * @param batchSize minibatch size
 * @param pretrainLearningRate learning rate of the plain-SGD pre-training
 * @param fineTuneMomentum momentum of the fine-tune optimizer
 * @param model the network: input shape and layers
 * @param data the splits' sizes and shapes
 * @param pruningFraction share of the budget over which the gradual pruners raise the sparsity;
 *     null in folders written before it could be set, which used the default
 * @param pretrainMomentum momentum of the pre-training; null in folders written before it could
 *     be set, which used plain SGD (0)
 * @param fineTuneSchedule the learning-rate schedule over each method's budget, as its {@code
 *     toString}; null in folders written before it could be set, which used a constant rate
 */
public record ExperimentSettings(double targetSparsity, long fineTuneSteps, List<Double> lrGrid,
    int tuneBudget, int batchSize, double pretrainLearningRate, double fineTuneMomentum,
    String model, String data, Double pruningFraction, Double pretrainMomentum,
    String fineTuneSchedule, Integer batchNormRecalibration) {

  /** Copies the grid; a missing pruning fraction or momentum is the default it stood for. */
  public ExperimentSettings {
    lrGrid = ImmutableList.copyOf(lrGrid);
    if (pruningFraction == null) {
      pruningFraction = ReproduceConfig.DEFAULT_PRUNING_FRACTION;
    }
    if (pretrainMomentum == null) {
      pretrainMomentum = 0.0;
    }
    if (fineTuneSchedule == null) {
      fineTuneSchedule = LearningRateSchedule.constant().toString();
    }
    if (batchNormRecalibration == null) {
      batchNormRecalibration = 0;
    }
  }

  /** The settings of {@code config} on {@code data} with a network of {@code architecture}. */
  public static ExperimentSettings of(ReproduceConfig config, ExperimentData data,
      Architecture architecture) {
    return new ExperimentSettings(config.targetSparsity(), config.fineTuneSteps(),
        config.lrGrid(), config.tuneBudget(), config.batchSize(), config.pretrainLearningRate(),
        config.fineTuneMomentum(),
        architecture.inputShapeText() + " " + (architecture.sequential() ? architecture.layers()
            : architecture.nodes()), data.describe(),
        config.pruningFraction(), config.pretrainMomentum(),
        config.fineTuneSchedule().toString(), config.batchNormRecalibration());
  }

  /** The settings that differ from {@code other}'s, as {@code name: this vs other} lines. */
  public List<String> differences(ExperimentSettings other) {
    List<String> out = new ArrayList<>();
    diff(out, "target sparsity", targetSparsity, other.targetSparsity);
    diff(out, "fine-tune steps", fineTuneSteps, other.fineTuneSteps);
    diff(out, "lr grid", lrGrid, other.lrGrid);
    diff(out, "tune budget", tuneBudget, other.tuneBudget);
    diff(out, "batch size", batchSize, other.batchSize);
    diff(out, "pre-training learning rate", pretrainLearningRate, other.pretrainLearningRate);
    diff(out, "fine-tune momentum", fineTuneMomentum, other.fineTuneMomentum);
    diff(out, "model", model, other.model);
    diff(out, "data", data, other.data);
    diff(out, "pruning fraction", pruningFraction, other.pruningFraction);
    diff(out, "pre-training momentum", pretrainMomentum, other.pretrainMomentum);
    diff(out, "fine-tune learning-rate schedule", fineTuneSchedule, other.fineTuneSchedule);
    diff(out, "BatchNorm recalibration batches", batchNormRecalibration,
        other.batchNormRecalibration);
    return out;
  }

  private static void diff(List<String> out, String name, Object a, Object b) {
    if (!a.equals(b)) {
      out.add(String.format(Locale.ROOT, "%s: %s vs %s", name, a, b));
    }
  }
}
