package org.fwprune.pruning;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.MoreObjects;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.train.OptimizerSpec;

/**
 * Magnitude pruning: zero the smallest |w| of the conv and dense kernels (one global threshold by
 * default) and fine-tune with the mask fixed. {@link Mode#ONE_SHOT} prunes to the target at the
 * start (the paper's "simple" pruning); {@link Mode#GRADUAL} (the default) raises the sparsity on
 * the cubic schedule of Zhu and Gupta 2017 ("To prune, or not to prune", eq. 1), re-thresholding
 * every {@code frequency} steps during the first {@code pruningFraction} of the budget: the
 * PolynomialDecay baseline of the TF Model Optimization Toolkit. See docs/algorithms.md.
 */
public final class MagnitudePruner implements Pruner {

  /** When the mask reaches the target. */
  public enum Mode {
    /** Prune to the target once, then fine-tune. */
    ONE_SHOT,
    /** Raise the sparsity gradually on a cubic schedule while fine-tuning. */
    GRADUAL
  }

  /** Default mode. */
  public static final Mode DEFAULT_MODE = Mode.GRADUAL;

  private final PruningSettings settings;
  private final Mode mode;

  private MagnitudePruner(Builder b) {
    this.settings = b.settings();
    this.mode = b.mode;
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public PruningReport prune(Cnn model, Dataset train) {
    PruningSettings effective = settings;
    return PruningLoop.run(model, train, effective, toString(), (graph, t, sparsity) -> {
      double s = mode == Mode.ONE_SHOT ? settings.targetSparsity : sparsity;
      if (mode == Mode.GRADUAL || t == 0) {
        settings.masks(graph).apply(graph, s);
      }
      return 0;
    });
  }

  @Override
  public String toString() {
    MoreObjects.ToStringHelper h = MoreObjects.toStringHelper(this).add("mode", mode);
    settings.describe(h);
    return h.toString();
  }

  /** Fluent builder; every setter checks its argument and names the allowed range. */
  public static final class Builder extends PrunerBuilder<Builder> {
    private Mode mode = DEFAULT_MODE;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }


    /** One-shot or gradual (default). */
    public Builder mode(Mode mode) {
      checkArgument(mode != null,
          "mode must be ONE_SHOT or GRADUAL, got null");
      this.mode = mode;
      return this;
    }

    /**
     * Budget in minibatch gradient evaluations, in [0, 1e8]; set this or epochs, not both. {@code 0} prunes
     * to the target with no retraining, and is allowed in {@link Mode#ONE_SHOT} mode only.
     */
    @Override
    public Builder steps(long steps) {
      checkArgument(steps >= 0 && steps <= 100_000_000L,
          "steps must be in [0, 100000000] (0: prune without retraining, ONE_SHOT only), got %s",
          steps);
      if (steps == 0) {
        pruneOnly();
        return this;
      }
      return super.steps(steps);
    }

    /**
     * Builds the immutable pruner; checks that the initial sparsity does not exceed the target
     * and that zero steps come with {@link Mode#ONE_SHOT}.
     */
    public MagnitudePruner build() {
      checkState(mode == Mode.ONE_SHOT || !pruneOnly,
          "steps(0) prunes without retraining and needs mode ONE_SHOT; mode GRADUAL needs"
              + " steps >= 1");
      return new MagnitudePruner(this);
    }
  }
}
