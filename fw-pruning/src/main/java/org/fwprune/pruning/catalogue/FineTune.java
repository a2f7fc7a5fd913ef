package org.fwprune.pruning.catalogue;

import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.train.Training;
import org.fwprune.core.train.TrainingListener;
import org.fwprune.core.train.internal.BatchNormRecalibration;

/**
 * The dense fine-tune that ends a structured method (on the smaller network its {@link
 * PruningMethod#filterSelection} built) and that forms the {@code dense-trained-on} baseline: the
 * whole budget of {@link MethodSettings} spent training with its fine-tune optimizer, so a
 * structured method costs as many gradients as every other method.
 */
public final class FineTune {

  private FineTune() {}

  /**
   * Trains {@code model} in place for {@code settings.steps()} minibatches with {@code settings}'
   * optimizer, schedule, minibatch and seed, then re-estimates BatchNorm statistics over {@code
   * settings.batchNormRecalibration()} batches, or by default over the pruners' default count
   * when the network has BatchNorm (as every pruner ends).
   *
   * @param listener told about every step
   * @throws org.fwprune.core.train.DivergenceException if the loss stops being finite
   */
  public static void run(Cnn model, Dataset train, MethodSettings settings,
      TrainingListener listener) {
    Require.notNull("model", model);
    Require.notNull("train", train);
    Require.notNull("settings", settings);
    Require.notNull("listener", listener);
    model.fit(train, Training.builder().optimizer(settings.fineTune())
        .batchSize(settings.batchSize()).steps(settings.steps())
        .learningRateSchedule(settings.learningRateSchedule()).seed(settings.seed())
        .listener(listener).build());
    int batches = BatchNormRecalibration.resolve(settings.batchNormRecalibration(),
        model.architecture().hasBatchNorm());
    if (batches > 0) {
      // As the pruners' batchNormRecalibration, so that every method ends the same way.
      model.recalibrateBatchNorm(train, batches);
    }
  }
}
