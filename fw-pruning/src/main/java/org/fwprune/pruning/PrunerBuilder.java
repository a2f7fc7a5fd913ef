package org.fwprune.pruning;

import org.fwprune.core.data.Dataset;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.core.train.OptimizerSpec;

/**
 * The setters every pruner's builder shares: target, schedule, scope, budget, fine-tune and
 * reporting. Each checks its argument and names the allowed range.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class PrunerBuilder<B extends PrunerBuilder<B>> {

  /** Default {@link #pruningFraction}: chosen on validation, see docs/which-pruner.md. */
  public static final double DEFAULT_PRUNING_FRACTION = PruningSettings.DEFAULT_PRUNING_FRACTION;

  final PruningSettings.Builder settings = new PruningSettings.Builder();

  PrunerBuilder() {}

  /** This builder, typed as the concrete builder. */
  abstract B self();

  /** Fraction of zero weights over the pruned kernels, in [0, 1); default 0.9. */
  public B targetSparsity(double sparsity) {
    settings.targetSparsity(sparsity);
    return self();
  }

  /**
   * Sparsity at the start of the cubic schedule, in [0, 1); default 0.5, capped at the target.
   * Equal to the target, the sparsity is constant.
   */
  public B initialSparsity(double sparsity) {
    settings.initialSparsity(sparsity);
    return self();
  }

  /** One global threshold (default) or one per kernel. */
  public B scope(Scope scope) {
    settings.scope(scope);
    return self();
  }

  /**
   * Which kernels are pruned: {@link PrunedLayers#ALL} (default) or all but the first
   * convolution and/or the last dense layer. The target sparsity counts the pruned kernels.
   */
  public B prunedLayers(PrunedLayers layers) {
    settings.prunedLayers(layers);
    return self();
  }

  /**
   * Budget in minibatch gradient evaluations (Frank-Wolfe steps count), in [1, 1e8]. Set this or
   * {@link #epochs}, not both.
   */
  public B steps(long steps) {
    settings.steps(steps);
    return self();
  }

  /**
   * Budget in passes over the training data, in (0, 10000]; default 1. Set this or {@link
   * #steps}, not both.
   */
  public B epochs(double epochs) {
    settings.epochs(epochs);
    return self();
  }

  /** Fine-tune minibatch size, in [1, 65536]; default 128. */
  public B batchSize(int batchSize) {
    settings.batchSize(batchSize);
    return self();
  }

  /** Part of the budget during which the sparsity rises and the mask may change, in [0, 1]; default 0.8. */
  public B pruningFraction(double fraction) {
    settings.pruningFraction(fraction);
    return self();
  }

  /** Change the mask every this many gradient evaluations, in [1, 1e6]; default 20. */
  public B frequency(int frequency) {
    settings.frequency(frequency);
    return self();
  }

  /** Fine-tune optimizer; default SGD with momentum 0.9 and learning rate 0.1. */
  public B fineTune(OptimizerSpec optimizer) {
    settings.fineTune(optimizer);
    return self();
  }

  /**
   * How the fine-tune learning rate changes over the budget, as a factor on the {@link
   * #fineTune} optimizer's rate at each gradient evaluation; default {@link
   * LearningRateSchedule#constant()}. {@code LearningRateSchedule.stepDecay(0.1, 2.0 / 3)}
   * divides it by 10 for the last third of the budget, as {@code Training.learningRateSchedule}
   * does for {@code fit}.
   */
  public B learningRateSchedule(LearningRateSchedule schedule) {
    settings.learningRateSchedule(schedule);
    return self();
  }

  /**
   * After pruning, re-estimates every BatchNorm layer's moving mean and variance as the average
   * over {@code batches} training minibatches, with no weight change ({@code
   * Cnn.recalibrateBatchNorm}); in [0, 100000], default 0 (off). Pruning shifts the activations a
   * BatchNorm normalises, so statistics collected before or while the mask changed no longer
   * match the pruned network (Lu et al. 2022 and Zimmer et al. 2022 re-estimate them after
   * pruning an SFW-trained network); most useful with {@code steps(0)}, where no fine-tune
   * updates them. The batches come on top of the gradient budget: they compute no gradient.
   * A model without BatchNorm is refused by {@code prune} before any step.
   */
  public B batchNormRecalibration(int batches) {
    settings.batchNormRecalibration(batches);
    return self();
  }

  /** Seed of the minibatch order. */
  public B seed(long seed) {
    settings.seed(seed);
    return self();
  }

  /** Data on which to report accuracy before and after. */
  public B validation(Dataset validation) {
    settings.validation(validation);
    return self();
  }

  /** Adds a progress listener. */
  public B listener(PruningListener listener) {
    settings.listener(listener);
    return self();
  }
}
