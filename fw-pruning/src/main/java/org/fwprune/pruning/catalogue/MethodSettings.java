package org.fwprune.pruning.catalogue;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.OptionalInt;
import org.fwprune.core.check.Require;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.core.train.OptimizerSpec;
import org.fwprune.core.train.Optimizers;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.PrunerBuilder;
import org.fwprune.pruning.PruningListener;
import org.fwprune.pruning.structured.StructuredPruner;

/**
 * The settings every method of the catalogue shares: target, budget of minibatch gradients,
 * schedule, fine-tune optimizer, BatchNorm re-estimation and seed. Immutable; build with {@link
 * #builder()}. Each setter is checked by the library's own pruner builder, so a value is refused
 * here with the same message (naming the setting and its allowed range) as by {@link
 * PrunerBuilder}, and nowhere else.
 */
public final class MethodSettings {

  /** Default target: 90% zeros, as the pruners'. */
  public static final double DEFAULT_TARGET_SPARSITY = 0.9;
  /** Default budget: one epoch of 55,000 MNIST examples at batch 128, the paper's per method. */
  public static final long DEFAULT_STEPS = 430;
  /** Default minibatch, as the pruners'. */
  public static final int DEFAULT_BATCH_SIZE = 128;
  /** Default fine-tune: SGD with momentum 0.9 at 0.1, as the pruners' (docs/pruner-defaults.md). */
  public static final OptimizerSpec DEFAULT_FINE_TUNE = Optimizers.momentum(0.1, 0.9);

  private final double targetSparsity;
  private final long steps;
  private final int batchSize;
  private final double pruningFraction;
  private final OptimizerSpec fineTune;
  private final LearningRateSchedule learningRateSchedule;
  private final OptionalInt batchNormRecalibration;
  private final long seed;
  private final List<PruningListener> listeners;

  private MethodSettings(Builder b) {
    this.targetSparsity = b.targetSparsity;
    this.steps = b.steps;
    this.batchSize = b.batchSize;
    this.pruningFraction = b.pruningFraction;
    this.fineTune = b.fineTune;
    this.learningRateSchedule = b.learningRateSchedule;
    this.batchNormRecalibration = b.batchNormRecalibration;
    this.seed = b.seed;
    this.listeners = b.listeners.build();
  }

  /** A builder with the library's defaults (those of {@link PrunerBuilder}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them (e.g. the seed or a listener). */
  public Builder toBuilder() {
    Builder b = builder().targetSparsity(targetSparsity).steps(steps).batchSize(batchSize)
        .pruningFraction(pruningFraction).fineTune(fineTune)
        .learningRateSchedule(learningRateSchedule).seed(seed);
    batchNormRecalibration.ifPresent(b::batchNormRecalibration);
    listeners.forEach(b::listener);
    return b;
  }

  /** Fraction of zeros over the pruned kernels that the unstructured methods reach. */
  public double targetSparsity() {
    return targetSparsity;
  }

  /** Minibatch gradients each method may compute, Frank-Wolfe steps included. */
  public long steps() {
    return steps;
  }

  /** Minibatch size of every method's gradients. */
  public int batchSize() {
    return batchSize;
  }

  /** The fine-tune optimizer every method trains with. */
  public OptimizerSpec fineTune() {
    return fineTune;
  }

  /** The fine-tune rate over the budget, as a factor on {@link #fineTune()}'s rate. */
  public LearningRateSchedule learningRateSchedule() {
    return learningRateSchedule;
  }

  /**
   * Minibatches over which BatchNorm statistics are re-estimated after pruning; empty = the
   * pruners' default (re-estimate on a network with BatchNorm).
   */
  public OptionalInt batchNormRecalibration() {
    return batchNormRecalibration;
  }

  /** Seed of the minibatch order (and of a structured selection's candidates). */
  public long seed() {
    return seed;
  }

  /** {@code builder} with every shared setting of an unstructured pruner applied. */
  <B extends PrunerBuilder<B>> B applyTo(B builder) {
    builder.targetSparsity(targetSparsity).steps(steps).batchSize(batchSize)
        .pruningFraction(pruningFraction).fineTune(fineTune)
        .learningRateSchedule(learningRateSchedule).seed(seed);
    batchNormRecalibration.ifPresent(builder::batchNormRecalibration);
    listeners.forEach(builder::listener);
    return builder;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("targetSparsity", targetSparsity)
        .add("steps", steps)
        .add("batchSize", batchSize)
        .add("pruningFraction", pruningFraction)
        .add("fineTune", fineTune)
        .add("learningRateSchedule", learningRateSchedule)
        .add("batchNormRecalibration", batchNormRecalibration.isPresent()
            ? batchNormRecalibration.getAsInt() : "default")
        .add("seed", seed)
        .toString();
  }

  /** Builder of {@link MethodSettings}; every setter is checked by a library pruner builder. */
  public static final class Builder {
    // The library's builders own the allowed ranges: every value passes through them, so the
    // catalogue cannot accept what a pruner would refuse, nor repeat the checks.
    // FwPruner's builder: its steps start at 1, where MagnitudePruner also takes 0 (prune only).
    private final FwPruner.Builder check = FwPruner.builder();
    private final StructuredPruner.Builder structuredCheck = StructuredPruner.builder();
    private double targetSparsity = DEFAULT_TARGET_SPARSITY;
    private long steps = DEFAULT_STEPS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private double pruningFraction = PrunerBuilder.DEFAULT_PRUNING_FRACTION;
    private OptimizerSpec fineTune = DEFAULT_FINE_TUNE;
    private LearningRateSchedule learningRateSchedule = LearningRateSchedule.constant();
    private OptionalInt batchNormRecalibration = OptionalInt.empty();
    private long seed;
    private final ImmutableList.Builder<PruningListener> listeners = ImmutableList.builder();

    private Builder() {}

    /** Fraction of zeros over the pruned kernels, in [0, 1). */
    public Builder targetSparsity(double sparsity) {
      check.targetSparsity(sparsity);
      this.targetSparsity = sparsity;
      return this;
    }

    /** Minibatch gradients each method may compute, in [1, 100000000]. */
    public Builder steps(long steps) {
      check.steps(steps);
      this.steps = steps;
      return this;
    }

    /** Minibatch size, in [1, 65536]. */
    public Builder batchSize(int batchSize) {
      check.batchSize(batchSize);
      structuredCheck.batchSize(batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /** Share of the budget over which the gradual methods raise the sparsity, in [0, 1]. */
    public Builder pruningFraction(double fraction) {
      check.pruningFraction(fraction);
      this.pruningFraction = fraction;
      return this;
    }

    /** The fine-tune optimizer of every method. */
    public Builder fineTune(OptimizerSpec optimizer) {
      check.fineTune(optimizer);
      this.fineTune = optimizer;
      return this;
    }

    /** The fine-tune rate over the budget, as a factor on the optimizer's rate. */
    public Builder learningRateSchedule(LearningRateSchedule schedule) {
      check.learningRateSchedule(schedule);
      this.learningRateSchedule = schedule;
      return this;
    }

    /**
     * Minibatches over which BatchNorm statistics are re-estimated at the end of each method, in
     * [0, 100000]; 0 turns it off. Unset: the pruners' default.
     */
    public Builder batchNormRecalibration(int batches) {
      check.batchNormRecalibration(batches);
      this.batchNormRecalibration = OptionalInt.of(batches);
      return this;
    }

    /** Seed of the minibatch order. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Adds a progress listener to every pruner built with these settings. */
    public Builder listener(PruningListener listener) {
      listeners.add(Require.notNull("listener", listener));
      return this;
    }

    /** Builds the immutable settings. */
    public MethodSettings build() {
      return new MethodSettings(this);
    }
  }
}
