package org.fwprune.pruning;

import com.google.common.base.MoreObjects;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.train.OptimizerSpec;
import org.fwprune.pruning.mask.MaskOps;

/**
 * Magnitude pruning: zero the smallest |w| of the conv and dense kernels (one global threshold by
 * default) and fine-tune with the mask fixed. {@link Mode#ONE_SHOT} prunes to the target at the
 * start (the paper's "simple" pruning); {@link Mode#GRADUAL} (the default) raises the sparsity on
 * the cubic schedule of Zhu and Gupta 2017 ("To prune, or not to prune", eq. 1), re-thresholding
 * every {@code frequency} steps during the first {@code pruningFraction} of the budget: the
 * PolynomialDecay baseline of the TF Model Optimization Toolkit. See ALGORITHMS.md.
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
    this.settings = b.settings.build();
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
        MaskOps.of(graph, settings.scope).apply(graph, s);
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
  public static final class Builder {
    private final PruningSettings.Builder settings = new PruningSettings.Builder();
    private Mode mode = DEFAULT_MODE;

    private Builder() {}

    /** Fraction of zero weights over the pruned kernels, in [0, 1); default 0.9. */
    public Builder targetSparsity(double sparsity) {
      settings.targetSparsity(sparsity);
      return this;
    }

    /** One-shot or gradual (default). */
    public Builder mode(Mode mode) {
      com.google.common.base.Preconditions.checkArgument(mode != null,
          "mode must be ONE_SHOT or GRADUAL, got null");
      this.mode = mode;
      return this;
    }

    /** Sparsity at the start of the gradual schedule, in [0, 1); default 0.5 (capped at the target). */
    public Builder initialSparsity(double sparsity) {
      settings.initialSparsity(sparsity);
      return this;
    }

    /** One global threshold (default) or one per kernel. */
    public Builder scope(Scope scope) {
      settings.scope(scope);
      return this;
    }

    /** Budget in minibatch gradient evaluations, in [1, 1e8]; overrides {@link #epochs}. */
    public Builder steps(long steps) {
      settings.steps(steps);
      return this;
    }

    /** Budget in passes over the training data, in (0, 10000]; default 1. */
    public Builder epochs(double epochs) {
      settings.epochs(epochs);
      return this;
    }

    /** Minibatch size, in [1, 65536]; default 128. */
    public Builder batchSize(int batchSize) {
      settings.batchSize(batchSize);
      return this;
    }

    /** Part of the budget during which the sparsity rises, in [0, 1]; default 0.6. */
    public Builder pruningFraction(double fraction) {
      settings.pruningFraction(fraction);
      return this;
    }

    /** Re-threshold every this many gradient evaluations, in [1, 1e6]; default 20. */
    public Builder frequency(int frequency) {
      settings.frequency(frequency);
      return this;
    }

    /** Fine-tune optimizer; default SGD with momentum 0.9, learning rate 0.01. */
    public Builder fineTune(OptimizerSpec optimizer) {
      settings.fineTune(optimizer);
      return this;
    }

    /** Seed of the minibatch order. */
    public Builder seed(long seed) {
      settings.seed(seed);
      return this;
    }

    /** Data on which to report accuracy before and after. */
    public Builder validation(Dataset validation) {
      settings.validation(validation);
      return this;
    }

    /** Adds a progress listener. */
    public Builder listener(PruningListener listener) {
      settings.listener(listener);
      return this;
    }

    /** Builds the immutable pruner; checks that the initial sparsity does not exceed the target. */
    public MagnitudePruner build() {
      return new MagnitudePruner(this);
    }
  }
}
