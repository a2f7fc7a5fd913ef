package org.fwprune.pruning.sfw;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.train.DivergenceException;
import org.fwprune.core.train.EpochStats;
import org.fwprune.core.train.History;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.core.train.Training;
import org.fwprune.core.train.TrainingListener;
import org.fwprune.core.train.internal.BatchNormRecalibration;
import org.fwprune.pruning.constraints.Constraint;
import org.fwprune.pruning.constraints.KSparsePolytope;
import org.fwprune.pruning.constraints.L2Ball;

/**
 * Trains a network from its current weights with stochastic Frank-Wolfe (SFW) inside one
 * constraint per tensor, so that the trained weights survive magnitude pruning to a wide range of
 * sparsities with no retraining: "train once, prune to any sparsity" (Lu et al., ICLR 2022,
 * "Learning pruning-friendly networks via Frank-Wolfe: one-shot, any-sparsity, and no
 * retraining", with a K-sparse polytope; Zimmer, Spiegel and Pokutta 2022, "Compression-aware
 * training of neural networks using Frank-Wolfe", with a K-support norm ball).
 *
 * <p>Each step, on every kernel and bias {@code theta} with minibatch gradient {@code g}
 * (docs/sfw.md; Pokutta, Spiegel and Zimmer 2020, "Deep neural network training with
 * Frank-Wolfe", Algorithm 1):
 *
 * <pre>
 *   m     = g (first step), then momentum m + (1 - momentum) g   (MomentumConvention.AVERAGE;
 *                                   SUM: momentum m + g)
 *   v     = LMO(m) over the tensor's constraint, radius from D = 2 tau E||W_init||_2
 *   eta   = clip(lr_t ||m|| / ||theta - v||, 0, 1)          (gradient rescaling)
 *   theta = (1 - eta) theta + eta v
 * </pre>
 *
 * with {@code lr_t} the learning rate times the {@link LearningRateSchedule}'s factor. Kernels use
 * {@link Builder#constraint} (dense kernels {@link Builder#denseConstraint} if set), biases
 * {@link Builder#biasConstraint}. With a {@code GroupKSupportNormBall} whole filters go to zero
 * together, so {@code StructuredPruner} with L1 selection can remove them without fine-tuning; the
 * kernels whose channels a residual addition couples ({@code ChannelGroups}) share one ball, so
 * they keep the same filters (docs/algorithms.md, "Coupled channels"). Afterwards a
 * {@code MagnitudePruner} in {@code ONE_SHOT} mode with {@code steps(0)} prunes to any target with
 * no retraining. Each {@link #fit} starts from fresh optimizer state (momentum zeroed). Immutable.
 */
public final class SfwTrainer {

  /** Default kernel constraint: K-sparse polytope with K = 5% of each kernel (Lu et al. 2022). */
  public static final Constraint DEFAULT_CONSTRAINT = KSparsePolytope.ofFraction(0.05);
  /** Default bias constraint: the L2 ball (docs/sfw.md, "Biases"). */
  public static final Constraint DEFAULT_BIAS_CONSTRAINT = L2Ball.create();
  /** Default radius multiplier (Lu et al. 2022). */
  public static final double DEFAULT_TAU = 15;
  /** Default base learning rate (Lu et al. 2022). */
  public static final double DEFAULT_LEARNING_RATE = 1.0;
  /** Default momentum: {@code m = 0.9 m + 0.1 g} (Lu et al. 2022). */
  public static final double DEFAULT_MOMENTUM = 0.9;
  /** Default momentum convention: the average (Lu et al. 2022); docs/sfw.md has the screen. */
  public static final MomentumConvention DEFAULT_MOMENTUM_CONVENTION = MomentumConvention.AVERAGE;
  /** Default number of epochs. */
  public static final int DEFAULT_EPOCHS = 2;
  /** Default minibatch size. */
  public static final int DEFAULT_BATCH_SIZE = 128;
  /** Default schedule: the learning rate divided by 10 for the last third of the run. */
  public static final LearningRateSchedule DEFAULT_SCHEDULE =
      LearningRateSchedule.stepDecay(0.1, 2.0 / 3);

  private final Constraint constraint;
  private final Constraint denseConstraint;
  private final Constraint biasConstraint;
  private final double tau;
  private final double learningRate;
  private final double momentum;
  private final MomentumConvention momentumConvention;
  private final LearningRateSchedule schedule;
  /** Epochs, batch size, seed, validation data and listeners, as for {@code Cnn.fit}. */
  private final Training loop;
  private final OptionalInt recalibrationBatches;

  private SfwTrainer(Builder b) {
    this.constraint = b.constraint;
    this.denseConstraint = b.denseConstraint == null ? b.constraint : b.denseConstraint;
    this.biasConstraint = b.biasConstraint;
    this.tau = b.tau;
    this.learningRate = b.learningRate;
    this.momentum = b.momentum;
    this.momentumConvention = b.momentumConvention;
    this.schedule = b.schedule;
    this.loop = b.loop.build();
    this.recalibrationBatches = b.recalibrationBatches;
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Trains {@code model} on {@code train} and returns per-epoch statistics (training loss and
   * accuracy with dropout active; validation figures if a validation set was given).
   *
   * @throws IllegalArgumentException if the data does not fit the model
   * @throws IllegalStateException if the model has pruning masks, or another thread is training
   *     or pruning it
   * @throws DivergenceException if a step's loss or gradients are not finite; that step changed
   *     nothing, so the model keeps its last finite weights
   */
  public History fit(Cnn model, Dataset train) {
    checkArgument(model != null, "model must not be null");
    int epochs = loop.epochs();
    List<TrainingListener> listeners = loop.listeners();
    Dataset validation = loop.validation().orElse(null);
    int recalibration = BatchNormRecalibration.resolve(recalibrationBatches,
        model.architecture().hasBatchNorm());
    try (SfwGraph sfw = SfwGraph.open(model, train, validation, loop.batchSize(), loop.seed(),
        constraint, denseConstraint, biasConstraint)) {
      int perEpoch = sfw.stepsPerEpoch();
      double gradientWeight = momentumConvention.gradientWeight(momentum);
      long total = (long) epochs * perEpoch;
      listeners.forEach(l -> l.onStart(epochs, perEpoch));
      List<EpochStats> stats = new ArrayList<>();
      long t = 0;
      for (int epoch = 1; epoch <= epochs; epoch++) {
        long start = System.nanoTime();
        double lossSum = 0;
        double correct = 0;
        int seen = 0;
        for (int s = 1; s <= perEpoch; s++, t++) {
          double lr = learningRate * schedule.factorAt(t, total);
          SfwGraph.Outcome o = sfw.step(lr, momentum, gradientWeight, tau);
          if (!o.finite()) {
            throw new DivergenceException("SFW training", epoch, t + 1, o.loss());
          }
          lossSum += (double) o.loss() * o.count();
          correct += o.correct();
          seen += o.count();
          for (TrainingListener l : listeners) {
            l.onStep(epoch, s, o.loss());
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (epoch == epochs && recalibration > 0) {
          // Before the last validation, which then sees the statistics the run leaves behind.
          model.recalibrateBatchNorm(train, recalibration);
        }
        Evaluation v = validation == null ? null : model.evaluate(validation);
        EpochStats e = new EpochStats(epoch, perEpoch, lossSum / seen, correct / seen, seconds,
            v == null ? Double.NaN : v.loss(), v == null ? Double.NaN : v.accuracy());
        stats.add(e);
        listeners.forEach(l -> l.onEpochEnd(e));
      }
      return new History(stats);
    }
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("constraint", constraint)
        .add("denseConstraint", denseConstraint)
        .add("biasConstraint", biasConstraint)
        .add("tau", tau)
        .add("learningRate", learningRate)
        .add("momentum", momentum)
        .add("momentumConvention", momentumConvention)
        .add("schedule", schedule)
        .add("epochs", loop.epochs())
        .add("batchSize", loop.batchSize())
        .add("seed", loop.seed())
        .add("batchNormRecalibration", BatchNormRecalibration.describe(recalibrationBatches))
        .toString();
  }

  /** Fluent builder; every setter checks its argument and names the allowed range. */
  public static final class Builder {
    private Constraint constraint = DEFAULT_CONSTRAINT;
    /** Null: the same as {@link #constraint}. */
    private Constraint denseConstraint;
    private Constraint biasConstraint = DEFAULT_BIAS_CONSTRAINT;
    private double tau = DEFAULT_TAU;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private double momentum = DEFAULT_MOMENTUM;
    private MomentumConvention momentumConvention = DEFAULT_MOMENTUM_CONVENTION;
    private LearningRateSchedule schedule = DEFAULT_SCHEDULE;
    private final Training.Builder loop = Training.builder().epochs(DEFAULT_EPOCHS)
        .batchSize(DEFAULT_BATCH_SIZE);
    private OptionalInt recalibrationBatches = OptionalInt.empty();

    private Builder() {}

    /** Constraint of every conv and dense kernel; default K-sparse polytope, K = 5%. */
    public Builder constraint(Constraint constraint) {
      this.constraint = Require.notNull("constraint", constraint);
      return this;
    }

    /**
     * Constraint of every dense (fully connected) kernel, overriding {@link #constraint} for them;
     * default the kernel constraint. The group K-support reference code puts only the conv
     * filters in the group ball and the dense layers in an L2 ball (docs/sfw.md, "Structured
     * variant").
     */
    public Builder denseConstraint(Constraint constraint) {
      this.denseConstraint = Require.notNull("denseConstraint", constraint);
      return this;
    }

    /** Constraint of every bias; default the L2 ball. */
    public Builder biasConstraint(Constraint constraint) {
      this.biasConstraint = Require.notNull("biasConstraint", constraint);
      return this;
    }

    /** Radius multiplier: diameter {@code 2 tau E||W_init||}, in (0, 1e6]; default 15. */
    public Builder tau(double tau) {
      this.tau = Require.inOpenClosed("tau", tau, 0, 1e6);
      return this;
    }

    /** Base learning rate of the gradient-rescaled step, in (0, 1000]; default 1. */
    public Builder learningRate(double learningRate) {
      this.learningRate = Require.inOpenClosed("learningRate", learningRate, 0, 1000);
      return this;
    }

    /** Momentum of the gradient average, in [0, 1); default 0.9. */
    public Builder momentum(double momentum) {
      this.momentum = Require.inClosedOpen("momentum", momentum, 0, 1);
      return this;
    }

    /**
     * How the momentum buffer weighs a new gradient: {@link MomentumConvention#AVERAGE} (default,
     * Lu et al. 2022) or {@link MomentumConvention#SUM} (ZIB's reference code), which makes the
     * rescaled step about {@code 1 / (1 - momentum)} times longer at the same learning rate.
     */
    public Builder momentumConvention(MomentumConvention convention) {
      this.momentumConvention = Require.notNull("momentumConvention", convention);
      return this;
    }

    /** Learning-rate schedule; default divided by 10 for the last third. */
    public Builder learningRateSchedule(LearningRateSchedule schedule) {
      this.schedule = Require.notNull("learningRateSchedule", schedule);
      return this;
    }

    /** Passes over the training data, in [1, 100000]; default 2. */
    public Builder epochs(int epochs) {
      loop.epochs(epochs);
      return this;
    }

    /** Minibatch size, in [1, 65536]; default 128. */
    public Builder batchSize(int batchSize) {
      loop.batchSize(batchSize);
      return this;
    }

    /** Seed of the minibatch order; default 0. */
    public Builder seed(long seed) {
      loop.seed(seed);
      return this;
    }

    /** Data evaluated after each epoch (without dropout); must be non-empty. */
    public Builder validation(Dataset validation) {
      loop.validation(validation);
      return this;
    }

    /** Adds a progress listener, called on the training thread. */
    public Builder listener(TrainingListener listener) {
      loop.listener(listener);
      return this;
    }

    /**
     * At the end of training, re-estimates every BatchNorm's moving statistics over {@code
     * batches} training minibatches of 128, in [0, 100000]; 0 turns it off. Default: {@value
     * Training#DEFAULT_WARM_UP_RECALIBRATION} for a network with BatchNorm, nothing without. A
     * positive count for a model without BatchNorm is refused by {@code fit}.
     */
    public Builder batchNormRecalibration(int batches) {
      this.recalibrationBatches = OptionalInt.of(Training.checkRecalibrationBatches(batches));
      return this;
    }

    /** Builds the immutable trainer. */
    public SfwTrainer build() {
      return new SfwTrainer(this);
    }
  }
}
