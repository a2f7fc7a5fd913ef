package org.fwprune.pruning;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.train.DivergenceException;
import org.fwprune.core.train.OptimizerSpec;
import org.fwprune.core.train.Training;
import org.fwprune.core.train.internal.BatchSampler;
import org.fwprune.pruning.constraints.Constraint;
import org.fwprune.pruning.constraints.KSparsePolytope;
import org.fwprune.pruning.fw.SupportRule;
import org.fwprune.pruning.fw.internal.FrankWolfeStep;
import org.fwprune.pruning.mask.MaskOps;
import org.fwprune.pruning.schedule.MomentumSchedule;
import org.fwprune.pruning.schedule.StepSize;
import org.fwprune.pruning.transform.GradientTransform;
import org.fwprune.pruning.transform.MovingAverage;

/**
 * Frank-Wolfe pruning, with or without momentum (docs/algorithms.md, "The pruners";
 * "Projection-Free CNN Pruning via Frank-Wolfe with Momentum"). Every {@code frequency} gradient
 * evaluations during the pruning phase it estimates the gradient on a fresh minibatch, passes it
 * through the transform chain (with a non-zero momentum, an exponential moving average whose factor
 * may follow a {@link MomentumSchedule}), takes a stochastic Frank-Wolfe step over the sparsity
 * constraint (K-sparse polytope by default, radius {@code tau} times the layer's initialisation
 * norm; its {@code K} fixed or following the schedule, see {@link SupportRule}), and re-thresholds
 * the kernels by magnitude to the schedule's sparsity, which rises on a cubic schedule from
 * {@code initialSparsity} to the target (Zhu and Gupta 2017). Between Frank-Wolfe steps, and after the pruning phase, it
 * fine-tunes with the mask fixed. Every method gets the same budget of minibatch gradients.
 *
 * <p>With {@code momentum(0)} and {@code initialSparsity} equal to the target this is the paper's
 * plain FW pruning. Which variant to use, measured against gradual magnitude pruning:
 * docs/which-pruner.md.
 */
public final class FwPruner implements Pruner {

  /** Default momentum of the gradient moving average (the reference's FW + momentum). */
  public static final double DEFAULT_MOMENTUM = 0.9;
  /** Default radius multiplier of the constraint (the reference's tau). */
  public static final double DEFAULT_TAU = 20;
  /** Default step size: gradient-rescaled with alpha 0.2 (the reference's FW + momentum). */
  public static final StepSize DEFAULT_STEP_SIZE = StepSize.gradientRescaled(0.2);

  private final PruningSettings settings;
  private final MomentumSchedule momentum;
  private final List<GradientTransform> extraTransforms;
  private final FrankWolfeStep.Setting stepSetting;
  private final int subsampleSize;

  /** Checks, through {@link FrankWolfeStep.Setting}, that a scheduled support has a K-sparse set. */
  private FwPruner(Builder b) {
    this.settings = b.settings();
    this.momentum = b.momentum;
    this.extraTransforms = b.transforms.build();
    Constraint constraint = b.constraint != null ? b.constraint
        : KSparsePolytope.ofFraction(Math.max(1e-6, 1 - settings.targetSparsity));
    List<GradientTransform> chain = new ArrayList<>();
    if (!momentum.equals(MomentumSchedule.constant(0))) {
      chain.add(new MovingAverage(momentum));
    }
    chain.addAll(extraTransforms);
    this.stepSetting = new FrankWolfeStep.Setting(constraint, b.tau, b.stepSize, chain, b.support,
        settings.prunedLayers);
    this.subsampleSize = b.subsampleSize > 0 ? b.subsampleSize : settings.batchSize;
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public PruningReport prune(Cnn model, Dataset train) {
    BatchSampler subsample = new BatchSampler(train, subsampleSize, true, settings.seed + 1);
    boolean[] fresh = {true};
    try (InputBatch batch = subsample.newBatch()) {
      return PruningLoop.run(model, train, settings, toString(), (graph, t, sparsity) -> {
        subsample.next(batch);
        FrankWolfeStep step = FrankWolfeStep.of(graph, stepSetting);
        if (fresh[0]) {
          // Run-scoped: every prune starts at iteration 0, whatever ran on this model before.
          step.reset(graph);
          fresh[0] = false;
        }
        if (stepSetting.support() == SupportRule.SCHEDULE_GLOBAL_LAYER_BUDGETS) {
          FrankWolfeStep.Outcome o = step.runCounting(graph, batch, sparsity);
          checkFinite(o.loss(), subsample, t);
          long[] keep = o.vertexNonZeros().clone();
          for (int i = 0; i < keep.length; i++) {
            keep[i] = Math.max(1, keep[i]);
          }
          MaskOps.applyKeepCounts(graph, settings.prunedLayers, keep);
        } else {
          checkFinite(step.run(graph, batch, sparsity), subsample, t);
          settings.masks(graph).apply(graph, sparsity);
        }
        return 1;
      });
    }
  }

  private static void checkFinite(float loss, BatchSampler subsample, long t) {
    if (!Float.isFinite(loss)) {
      throw new DivergenceException("Frank-Wolfe pruning", subsample.epoch(), t + 1, loss);
    }
  }

  @Override
  public String toString() {
    MoreObjects.ToStringHelper h = MoreObjects.toStringHelper(this)
        .add("momentum", momentum)
        .add("support", stepSetting.support())
        .add("tau", stepSetting.tau())
        .add("stepSize", stepSetting.stepSize())
        .add("constraint", stepSetting.constraint())
        .add("subsampleSize", subsampleSize)
        .add("transforms", extraTransforms);
    settings.describe(h);
    return h.toString();
  }

  /** Fluent builder; every setter checks its argument and names the allowed range. */
  public static final class Builder extends PrunerBuilder<Builder> {
    private MomentumSchedule momentum = MomentumSchedule.constant(DEFAULT_MOMENTUM);
    private boolean momentumSet;
    private boolean momentumScheduleSet;
    private SupportRule support = SupportRule.FIXED;
    private double tau = DEFAULT_TAU;
    private StepSize stepSize = DEFAULT_STEP_SIZE;
    private Constraint constraint;
    private final ImmutableList.Builder<GradientTransform> transforms = ImmutableList.builder();
    private int subsampleSize;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }


    /**
     * Gradient moving-average factor, in [0, 1); 0 = plain stochastic FW; default 0.9. Set this
     * or {@link #momentumSchedule}, not both.
     */
    public Builder momentum(double momentum) {
      this.momentum = MomentumSchedule.constant(Require.inClosedOpen("momentum", momentum, 0, 1));
      this.momentumSet = true;
      return this;
    }

    /**
     * Momentum factor per Frank-Wolfe step, e.g. {@link MomentumSchedule#decaying()}. Set this or
     * {@link #momentum(double)}, not both.
     */
    public Builder momentumSchedule(MomentumSchedule schedule) {
      this.momentum = Require.notNull("momentum schedule", schedule);
      this.momentumScheduleSet = true;
      return this;
    }

    /**
     * The vertex's non-zeros: {@link SupportRule#FIXED} (default) keeps the constraint's {@code
     * K}; the scheduled rules shrink {@code K} with the sparsity schedule and need the K-sparse
     * polytope (the default constraint).
     */
    public Builder support(SupportRule support) {
      checkArgument(support != null, "support must be one of %s, got null",
          Arrays.toString(SupportRule.values()));
      this.support = support;
      return this;
    }

    /** Radius multiplier relative to the initialisation norm, in (0, 1e6]; default 20. */
    public Builder tau(double tau) {
      this.tau = Require.inOpenClosed("tau", tau, 0, 1e6);
      return this;
    }

    /** Step-size rule; default gradient-rescaled with alpha 0.2. */
    public Builder stepSize(StepSize stepSize) {
      this.stepSize = Require.notNull("stepSize", stepSize);
      return this;
    }

    /**
     * Constraint of each kernel; default the K-sparse polytope with K the kept fraction
     * (1 - target) of each kernel.
     */
    public Builder constraint(Constraint constraint) {
      this.constraint = Require.notNull("constraint", constraint);
      return this;
    }

    /** Appends a gradient transform after the moving average. */
    public Builder gradientTransform(GradientTransform transform) {
      transforms.add(Require.notNull("gradient transform", transform));
      return this;
    }

    /** Examples in each Frank-Wolfe gradient estimate, in [1, 65536]; default the batch size. */
    public Builder subsampleSize(int size) {
      this.subsampleSize = Require.inClosed("subsampleSize", size, 1, Training.MAX_BATCH_SIZE);
      return this;
    }

    /**
     * Builds the immutable pruner; checks that the initial sparsity does not exceed the target and
     * that a scheduled support comes with a K-sparse polytope.
     */
    public FwPruner build() {
      checkState(!(momentumSet && momentumScheduleSet),
          "set the momentum with momentum(...) or with momentumSchedule(...), not both");
      checkState(minimumDensity == 0 || support != SupportRule.SCHEDULE_GLOBAL_LAYER_BUDGETS,
          "minimumDensity (%s) floors the global magnitude threshold, but support"
              + " SCHEDULE_GLOBAL_LAYER_BUDGETS sets each layer's count from the vertex instead;"
              + " use one or the other", minimumDensity);
      return new FwPruner(this);
    }
  }
}
