package org.fwprune.pruning;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import java.util.OptionalInt;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.core.train.OptimizerSpec;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.scope.PrunedLayers;
import org.fwprune.pruning.scope.Scope;

/**
 * The setters every pruner's builder shares: target, schedule, scope, budget, fine-tune and
 * reporting. Each checks its argument and names the allowed range.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class PrunerBuilder<B extends PrunerBuilder<B>> {

  /** Default {@link #pruningFraction}: chosen on validation, see docs/which-pruner.md. */
  public static final double DEFAULT_PRUNING_FRACTION = PruningSettings.DEFAULT_PRUNING_FRACTION;
  /** Default fraction of the pruned kernels' weights that are zero at the end. */
  public static final double DEFAULT_TARGET_SPARSITY = PruningSettings.DEFAULT_TARGET_SPARSITY;

  // Read by PruningSettings' constructor; set only through the checking setters below.
  double targetSparsity = PruningSettings.DEFAULT_TARGET_SPARSITY;
  Double initialSparsity;
  Scope scope = Scope.GLOBAL;
  double minimumDensity;
  PrunedLayers prunedLayers = PrunedLayers.ALL;
  long steps;
  boolean pruneOnly;
  double epochs = 1;
  int batchSize = PruningSettings.DEFAULT_BATCH_SIZE;
  double pruningFraction = PruningSettings.DEFAULT_PRUNING_FRACTION;
  int frequency = PruningSettings.DEFAULT_FREQUENCY;
  OptimizerSpec fineTune = PruningSettings.DEFAULT_FINE_TUNE;
  LearningRateSchedule learningRateSchedule = LearningRateSchedule.constant();
  OptionalInt recalibrationBatches = OptionalInt.empty();
  long seed;
  Dataset validation;
  final ImmutableList.Builder<PruningListener> listeners = ImmutableList.builder();
  private boolean stepsSet;
  private boolean epochsSet;

  PrunerBuilder() {}

  /** This builder, typed as the concrete builder. */
  abstract B self();

  /**
   * The shared settings, after checking that the budget was set one way and that the initial
   * sparsity does not exceed the target.
   */
  PruningSettings settings() {
    checkState(!(stepsSet && epochsSet),
        "set the budget with epochs(...) or with steps(...), not both");
    checkState(initialSparsity == null || initialSparsity <= targetSparsity,
        "initialSparsity (%s) must not exceed targetSparsity (%s)", initialSparsity,
        targetSparsity);
    checkState(minimumDensity == 0 || scope == Scope.GLOBAL,
        "minimumDensity (%s) is a floor under the GLOBAL threshold; with scope PER_LAYER every"
            + " kernel already keeps 1 - targetSparsity of its weights", minimumDensity);
    checkState(minimumDensity + targetSparsity <= 1,
        "minimumDensity + targetSparsity must be at most 1, got %s + %s: every kernel cannot keep"
            + " more than the target leaves", minimumDensity, targetSparsity);
    return new PruningSettings(this);
  }

  /** A budget of zero gradient evaluations: the pruner only prunes. */
  void pruneOnly() {
    this.steps = 0;
    this.pruneOnly = true;
    this.stepsSet = true;
  }

  /** Fraction of zero weights over the pruned kernels, in [0, 1); default 0.9. */
  public B targetSparsity(double sparsity) {
    this.targetSparsity = Require.inClosedOpen("targetSparsity", sparsity, 0, 1);
    return self();
  }

  /**
   * Sparsity at the start of the cubic schedule, in [0, 1); default 0.5, capped at the target.
   * Equal to the target, the sparsity is constant.
   */
  public B initialSparsity(double sparsity) {
    this.initialSparsity = Require.inClosedOpen("initialSparsity", sparsity, 0, 1);
    return self();
  }

  /** One global threshold (default) or one per kernel. */
  public B scope(Scope scope) {
    checkArgument(scope != null, "scope must be GLOBAL or PER_LAYER, got null");
    this.scope = scope;
    return self();
  }

  /**
   * Under the global threshold, the smallest fraction of its weights every pruned kernel keeps,
   * in [0, 1); default 0 (none). The threshold is lowered elsewhere so that the overall sparsity
   * still meets the target: each kernel keeps its largest {@code ceil(d n)} weights, and the rest
   * of the budget goes to the largest weights of all kernels (docs/sfw.md, "ResNet-20 at 95%").
   * Needs {@link Scope#GLOBAL} and at most {@code 1 - targetSparsity}; {@code build()} refuses
   * other combinations.
   */
  public B minimumDensity(double density) {
    this.minimumDensity = Require.inClosedOpen("minimumDensity", density, 0, 1);
    return self();
  }

  /**
   * Which kernels are pruned: {@link PrunedLayers#ALL} (default) or all but the first
   * convolution and/or the last dense layer. The target sparsity counts the pruned kernels.
   */
  public B prunedLayers(PrunedLayers layers) {
    checkArgument(layers != null, "prunedLayers must be ALL, ALL_BUT_FIRST, ALL_BUT_LAST or"
        + " ALL_BUT_FIRST_AND_LAST, got null");
    this.prunedLayers = layers;
    return self();
  }

  /**
   * Budget in minibatch gradient evaluations (Frank-Wolfe steps count), in [1, 1e8]. Set this or
   * {@link #epochs}, not both.
   */
  public B steps(long steps) {
    this.steps = Require.inClosed("steps", steps, 1, 100_000_000L);
    this.pruneOnly = false;
    this.stepsSet = true;
    return self();
  }

  /**
   * Budget in passes over the training data, in (0, 10000]; default 1. Set this or {@link
   * #steps}, not both.
   */
  public B epochs(double epochs) {
    this.epochs = Require.inOpenClosed("epochs", epochs, 0, 10_000);
    this.steps = 0;
    this.pruneOnly = false;
    this.epochsSet = true;
    return self();
  }

  /** Fine-tune minibatch size, in [1, 65536]; default 128. */
  public B batchSize(int batchSize) {
    this.batchSize = Require.inClosed("batchSize", batchSize, 1, Training.MAX_BATCH_SIZE);
    return self();
  }

  /** Part of the budget during which the sparsity rises and the mask may change, in [0, 1]; default 0.8. */
  public B pruningFraction(double fraction) {
    this.pruningFraction = Require.inClosed("pruningFraction", fraction, 0, 1);
    return self();
  }

  /** Change the mask every this many gradient evaluations, in [1, 1e6]; default 20. */
  public B frequency(int frequency) {
    this.frequency = Require.inClosed("frequency", frequency, 1, 1_000_000);
    return self();
  }

  /** Fine-tune optimizer; default SGD with momentum 0.9 and learning rate 0.1. */
  public B fineTune(OptimizerSpec optimizer) {
    this.fineTune = Require.notNull("fineTune optimizer", optimizer);
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
    this.learningRateSchedule = Require.notNull("learningRateSchedule", schedule);
    return self();
  }

  /**
   * After pruning, re-estimates every BatchNorm layer's moving mean and variance as the average
   * over {@code batches} training minibatches of 128, with no weight change ({@code
   * Cnn.recalibrateBatchNorm}); in [0, 100000], 0 turns it off. Default: {@value
   * Training#DEFAULT_WARM_UP_RECALIBRATION} for a network with BatchNorm, nothing for one without.
   * Pruning shifts the activations a BatchNorm normalises, so statistics collected before or
   * while the mask changed no longer match the pruned network (Lu et al. 2022 and Zimmer et al.
   * 2022 re-estimate them after pruning an SFW-trained network). The batches come on top of the
   * gradient budget: they compute no gradient. A positive count for a model without BatchNorm is
   * refused by {@code prune} before any step.
   */
  public B batchNormRecalibration(int batches) {
    this.recalibrationBatches = OptionalInt.of(Training.checkRecalibrationBatches(batches));
    return self();
  }

  /** Seed of the minibatch order. */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  /** Data on which to report accuracy before and after. */
  public B validation(Dataset validation) {
    this.validation = Dataset.requireNonEmpty("validation data", validation);
    return self();
  }

  /** Adds a progress listener. */
  public B listener(PruningListener listener) {
    listeners.add(Require.notNull("listener", listener));
    return self();
  }
}
