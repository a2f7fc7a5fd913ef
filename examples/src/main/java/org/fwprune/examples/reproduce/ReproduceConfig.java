package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.fwprune.core.check.Require;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.core.train.Optimizers;
import org.fwprune.examples.study.Shard;
import org.fwprune.pruning.catalogue.MethodSettings;

/**
 * What a reproduction runs: which pre-training budgets, methods and seeds form the grid of cells,
 * and the settings every cell shares (target sparsity, fine-tune budget, learning-rate grid and
 * tuning budget). Immutable; build with {@link #builder()}.
 *
 * <p>The defaults are the reference protocol (docs/algorithms.md): checkpoints after
 * 1 to 10 epochs of plain SGD at 0.05, batch 128; three seeds; 90% zeros over the kernels; 430
 * minibatch gradients for every method; SGD with momentum 0.9 for fine-tuning, its learning rate
 * chosen per method from 0.01, 0.03, 0.1, 0.3 on the validation split at the 2-epoch checkpoint.
 * The methods default to the paper's ({@link Method#PAPER}); the structured ones run only when
 * named.
 */
public final class ReproduceConfig {

  /** Default pre-training budgets in epochs: 1 to 10. */
  public static final List<Integer> DEFAULT_BUDGETS =
      IntStream.rangeClosed(1, 10).boxed().toList();
  /** Default methods: the paper's, i.e. every method but the structured ones. */
  public static final List<Method> DEFAULT_METHODS = Method.PAPER;
  /** Default number of seeds (seeds 0 .. N-1). */
  public static final int DEFAULT_SEEDS = 3;
  /** Default fraction of zeros over the conv and dense kernels. */
  public static final double DEFAULT_TARGET_SPARSITY = 0.9;
  /** Default budget of every method: one epoch of 55,000 examples at batch 128. */
  public static final long DEFAULT_FINE_TUNE_STEPS = 430;
  /** Default share of the budget over which the gradual pruners raise the sparsity. */
  public static final double DEFAULT_PRUNING_FRACTION = 0.6;
  /** Default fine-tune learning rates tried in the tuning phase. */
  public static final List<Double> DEFAULT_LR_GRID = List.of(0.01, 0.03, 0.1, 0.3);
  /** Default checkpoint (in pre-training epochs) at which learning rates are chosen. */
  public static final int DEFAULT_TUNE_BUDGET = 2;
  /** Default minibatch size of pre-training and fine-tuning. */
  public static final int DEFAULT_BATCH_SIZE = 128;
  /** Default learning rate of the plain-SGD pre-training. */
  public static final double DEFAULT_PRETRAIN_LEARNING_RATE = 0.05;
  /** Default momentum of the fine-tune optimizer. */
  public static final double DEFAULT_FINE_TUNE_MOMENTUM = 0.9;
  /** Budgets of {@link Builder#quick()}. */
  public static final List<Integer> QUICK_BUDGETS = List.of(1, 2, 5, 10);
  /** Learning-rate grid of {@link Builder#quick()}. */
  public static final List<Double> QUICK_LR_GRID = List.of(0.01, 0.1);
  /** Largest accepted pre-training budget in epochs. */
  public static final int MAX_BUDGET = 1_000;
  /** Largest accepted number of seeds. */
  public static final int MAX_SEEDS = 1_000;

  private final List<Integer> budgets;
  private final List<Method> methods;
  private final int seeds;
  private final double targetSparsity;
  private final long fineTuneSteps;
  private final double pruningFraction;
  private final List<Double> lrGrid;
  private final int tuneBudget;
  private final int batchSize;
  private final double pretrainLearningRate;
  private final double pretrainMomentum;
  private final double fineTuneMomentum;
  private final LearningRateSchedule fineTuneSchedule;
  private final int batchNormRecalibration;
  private final Shard shard;
  private final boolean resume;
  private final boolean quick;

  private ReproduceConfig(Builder b) {
    this.budgets = ImmutableList.copyOf(b.budgets);
    this.methods = ImmutableList.copyOf(b.methods);
    this.seeds = b.seeds;
    this.targetSparsity = b.targetSparsity;
    this.fineTuneSteps = b.fineTuneSteps;
    this.pruningFraction = b.pruningFraction;
    this.lrGrid = ImmutableList.copyOf(b.lrGrid);
    this.tuneBudget = b.tuneBudget;
    this.batchSize = b.batchSize;
    this.pretrainLearningRate = b.pretrainLearningRate;
    this.pretrainMomentum = b.pretrainMomentum;
    this.fineTuneMomentum = b.fineTuneMomentum;
    this.fineTuneSchedule = b.fineTuneSchedule;
    this.batchNormRecalibration = b.batchNormRecalibration;
    this.shard = b.shard;
    this.resume = b.resume;
    this.quick = b.quick;
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Pre-training budgets in epochs, ascending, without repeats. */
  public List<Integer> budgets() {
    return budgets;
  }

  /** Methods, in declaration order of {@link Method}, without repeats. */
  public List<Method> methods() {
    return methods;
  }

  /** Number of seeds; the seeds are 0 .. seeds-1. */
  public int seeds() {
    return seeds;
  }

  /** Fraction of zeros over the conv and dense kernels that every pruner reaches. */
  public double targetSparsity() {
    return targetSparsity;
  }

  /** Minibatch gradients every method may use after its checkpoint. */
  public long fineTuneSteps() {
    return fineTuneSteps;
  }

  /** Share of the budget over which the gradual pruners raise the sparsity, in [0, 1]. */
  public double pruningFraction() {
    return pruningFraction;
  }

  /** Fine-tune learning rates tried in the tuning phase, ascending, without repeats. */
  public List<Double> lrGrid() {
    return lrGrid;
  }

  /** Checkpoint (pre-training epochs) of seed 0 at which learning rates are chosen. */
  public int tuneBudget() {
    return tuneBudget;
  }

  /** Minibatch size of pre-training and fine-tuning. */
  public int batchSize() {
    return batchSize;
  }

  /** Learning rate of the plain-SGD pre-training. */
  public double pretrainLearningRate() {
    return pretrainLearningRate;
  }

  /** Momentum of the pre-training; 0 is plain SGD. */
  public double pretrainMomentum() {
    return pretrainMomentum;
  }

  /** Momentum of the fine-tune optimizer (SGD with heavy-ball momentum). */
  public double fineTuneMomentum() {
    return fineTuneMomentum;
  }

  /**
   * The learning rate over each method's budget, as a factor on the rate from the grid: for the
   * pruners' fine-tune and for {@code dense-trained-on} and the structured methods alike.
   */
  public LearningRateSchedule fineTuneSchedule() {
    return fineTuneSchedule;
  }

  /**
   * Training minibatches over which every method that trains (the pruners, {@code
   * dense-trained-on}, the structured fine-tune) re-estimates its BatchNorm statistics at the
   * end of its budget; 0 = none.
   */
  public int batchNormRecalibration() {
    return batchNormRecalibration;
  }

  /** The part of the cells this run computes. */
  public Shard shard() {
    return shard;
  }

  /** Whether cells already in the output folder's results are skipped. */
  public boolean resume() {
    return resume;
  }

  /** Whether the grid came from the {@link Builder#quick()} preset. */
  public boolean quick() {
    return quick;
  }

  /** Whether any method needs a learning rate, so that a tuning phase runs. */
  public boolean needsTuning() {
    return methods.stream().anyMatch(Method::isTuned);
  }

  /**
   * Every cell of the full grid in a fixed order (budget, then seed, then method), before sharding
   * and resuming: the order that {@link Shard} counts in.
   */
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (int budget : budgets) {
      for (int seed = 0; seed < seeds; seed++) {
        for (Method method : methods) {
          cells.add(new Cell(method, budget, seed, targetSparsity));
        }
      }
    }
    return cells;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("budgets", budgets)
        .add("methods", methods)
        .add("seeds", seeds)
        .add("targetSparsity", targetSparsity)
        .add("fineTuneSteps", fineTuneSteps)
        .add("pruningFraction", pruningFraction)
        .add("lrGrid", lrGrid)
        .add("tuneBudget", tuneBudget)
        .add("batchSize", batchSize)
        .add("pretrainLearningRate", pretrainLearningRate)
        .add("pretrainMomentum", pretrainMomentum)
        .add("fineTuneMomentum", fineTuneMomentum)
        .add("fineTuneSchedule", fineTuneSchedule)
        .add("batchNormRecalibration", batchNormRecalibration)
        .add("shard", shard)
        .add("resume", resume)
        .add("quick", quick)
        .toString();
  }

  /** Fluent builder of {@link ReproduceConfig}; every setter checks its own argument. */
  public static final class Builder {
    // The settings every pruning method shares are checked once, by the catalogue's settings
    // (which hand each value to the library's pruner builder), and learning rates and momenta
    // by the library's optimizer specs, not by a copy of their ranges.
    private final MethodSettings.Builder methodChecks = MethodSettings.builder();
    private List<Integer> budgets = DEFAULT_BUDGETS;
    private List<Method> methods = DEFAULT_METHODS;
    private int seeds = DEFAULT_SEEDS;
    private double targetSparsity = DEFAULT_TARGET_SPARSITY;
    private long fineTuneSteps = DEFAULT_FINE_TUNE_STEPS;
    private double pruningFraction = DEFAULT_PRUNING_FRACTION;
    private List<Double> lrGrid = DEFAULT_LR_GRID;
    private int tuneBudget = DEFAULT_TUNE_BUDGET;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private double pretrainLearningRate = DEFAULT_PRETRAIN_LEARNING_RATE;
    private double pretrainMomentum;
    private double fineTuneMomentum = DEFAULT_FINE_TUNE_MOMENTUM;
    private LearningRateSchedule fineTuneSchedule = LearningRateSchedule.constant();
    private int batchNormRecalibration;
    private Shard shard = Shard.ALL;
    private boolean resume;
    private boolean quick;

    private Builder() {}

    /**
     * The quick preset: budgets 1, 2, 5, 10, one seed, learning rates 0.01 and 0.1. Setters
     * called afterwards override it.
     */
    public Builder quick() {
      this.budgets = QUICK_BUDGETS;
      this.seeds = 1;
      this.lrGrid = QUICK_LR_GRID;
      this.quick = true;
      return this;
    }

    /** Pre-training budgets in epochs, each in [1, 1000], at least one; sorted, repeats dropped. */
    public Builder budgets(Collection<Integer> budgets) {
      checkArgument(budgets != null && !budgets.isEmpty(),
          "budgets must list at least one epoch count, got %s", budgets);
      for (Integer b : budgets) {
        checkArgument(b != null && b >= 1 && b <= MAX_BUDGET,
            "budgets must be in [1, %s] epochs, got %s", MAX_BUDGET, b);
      }
      this.budgets = List.copyOf(new TreeSet<>(budgets));
      return this;
    }

    /** Methods to run, at least one; put in declaration order, repeats dropped. */
    public Builder methods(Collection<Method> methods) {
      checkArgument(methods != null && !methods.isEmpty()
              && methods.stream().noneMatch(Objects::isNull),
          "methods must list at least one of %s, got %s", Method.ids(), methods);
      this.methods = List.copyOf(new TreeSet<>(methods));
      return this;
    }

    /** Number of seeds, in [1, 1000]; the seeds are 0 .. N-1. */
    public Builder seeds(int seeds) {
      this.seeds = Require.inClosed("seeds", seeds, 1, MAX_SEEDS);
      return this;
    }

    /** Fraction of zeros over the kernels, in [0, 1) (checked by the catalogue's settings). */
    public Builder targetSparsity(double sparsity) {
      methodChecks.targetSparsity(sparsity);
      this.targetSparsity = sparsity;
      return this;
    }

    /** Minibatch gradients per method, in [1, 100000000] (checked by the catalogue's settings). */
    public Builder fineTuneSteps(long steps) {
      methodChecks.steps(steps);
      this.fineTuneSteps = steps;
      return this;
    }

    /**
     * Share of the budget over which the gradual pruners (gradual magnitude and the
     * Frank-Wolfe pruners) raise the sparsity to the target, in [0, 1]; default 0.6.
     */
    public Builder pruningFraction(double fraction) {
      methodChecks.pruningFraction(fraction);
      this.pruningFraction = fraction;
      return this;
    }

    /** Fine-tune learning rates to try, each in (0, 10], at least one; sorted, repeats dropped. */
    public Builder lrGrid(Collection<Double> learningRates) {
      checkArgument(learningRates != null && !learningRates.isEmpty(),
          "the learning-rate grid must hold at least one value, got %s", learningRates);
      for (Double lr : learningRates) {
        checkArgument(lr != null, "the learning-rate grid must not hold null");
        // The range is the library's: the fine-tune optimizer refuses what it cannot take.
        Optimizers.momentum(lr, fineTuneMomentum);
      }
      this.lrGrid = List.copyOf(new TreeSet<>(learningRates));
      return this;
    }

    /** Checkpoint of seed 0 (pre-training epochs) at which to tune, in [1, 1000]. */
    public Builder tuneBudget(int epochs) {
      checkArgument(epochs >= 1 && epochs <= MAX_BUDGET,
          "tune budget must be in [1, %s] epochs, got %s", MAX_BUDGET, epochs);
      this.tuneBudget = epochs;
      return this;
    }

    /** Minibatch size of pre-training and fine-tuning, in [1, 65536]. */
    public Builder batchSize(int batchSize) {
      methodChecks.batchSize(batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /** Learning rate of the plain-SGD pre-training, in (0, 10]. */
    public Builder pretrainLearningRate(double learningRate) {
      Optimizers.sgd(learningRate);
      this.pretrainLearningRate = learningRate;
      return this;
    }

    /** Momentum of the pre-training, in [0, 1); 0 (the default) is plain SGD. */
    public Builder pretrainMomentum(double momentum) {
      Optimizers.momentum(pretrainLearningRate, momentum);
      this.pretrainMomentum = momentum;
      return this;
    }

    /** Momentum of the fine-tune optimizer, in [0, 1). */
    public Builder fineTuneMomentum(double momentum) {
      Optimizers.momentum(lrGrid.get(0), momentum);
      this.fineTuneMomentum = momentum;
      return this;
    }

    /**
     * The learning rate over each method's budget, as a factor on the grid's rate; default
     * constant.
     */
    public Builder fineTuneSchedule(LearningRateSchedule schedule) {
      this.fineTuneSchedule = Require.notNull("fine-tune schedule", schedule);
      return this;
    }

    /**
     * Minibatches for re-estimating BatchNorm statistics at the end of every method that
     * trains, in [0, 100000]; default 0 (none). Needs a network with BatchNorm.
     */
    public Builder batchNormRecalibration(int batches) {
      methodChecks.batchNormRecalibration(batches);
      this.batchNormRecalibration = batches;
      return this;
    }

    /** The part of the cells to compute; default all. */
    public Builder shard(Shard shard) {
      checkArgument(shard != null, "shard must not be null; use Shard.ALL for every cell");
      this.shard = shard;
      return this;
    }

    /** Skip cells already in the output folder's results.csv (default false). */
    public Builder resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /** Builds the configuration; checks that the shard count does not exceed the cell count. */
    public ReproduceConfig build() {
      int cells = budgets.size() * seeds * methods.size();
      checkState(shard.count() <= cells,
          "shard count %s exceeds the %s cells of the grid: some parts would be empty",
          shard.count(), cells);
      return new ReproduceConfig(this);
    }
  }
}
