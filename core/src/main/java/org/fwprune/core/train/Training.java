package org.fwprune.core.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;

/**
 * How to train a model: optimizer, batch size, length, shuffling seed, optional validation set and
 * listeners. Immutable; build with {@link #builder()}.
 */
public final class Training {

  /** Default batch size, as in the paper's experiments. */
  public static final int DEFAULT_BATCH_SIZE = 128;
  /** Default number of epochs. */
  public static final int DEFAULT_EPOCHS = 1;
  /** Default optimizer: plain SGD at 0.05, the paper's dense pre-training setting. */
  public static final OptimizerSpec DEFAULT_OPTIMIZER = Optimizers.sgd(0.05);
  /** Default shuffling seed. */
  public static final long DEFAULT_SEED = 0;
  /**
   * Batches (of 128) that re-estimate BatchNorm statistics at the end of a run whose statistics
   * are still warming up, unless {@link Builder#batchNormRecalibration} says otherwise, and that
   * pruners re-estimate on when the user sets nothing: 6,400 examples, the order of PyTorch's
   * {@code update_bn} over a small loader, and a few seconds of inference on a ResNet-20.
   */
  public static final int DEFAULT_WARM_UP_RECALIBRATION = 50;
  /** Most batches a BatchNorm re-estimation may be asked to run. */
  public static final int MAX_RECALIBRATION_BATCHES = 100_000;
  /** Largest accepted batch size. */
  public static final int MAX_BATCH_SIZE = 1 << 16;
  /** Largest accepted epoch count. */
  public static final int MAX_EPOCHS = 100_000;

  private final OptimizerSpec optimizer;
  private final int batchSize;
  private final int epochs;
  private final long maxSteps;
  private final long seed;
  private final boolean shuffle;
  private final Dataset validation;
  private final LearningRateSchedule schedule;
  private final List<TrainingListener> listeners;
  private final Integer recalibrationBatches;

  private Training(Builder b) {
    this.optimizer = b.optimizer;
    this.batchSize = b.batchSize;
    this.epochs = b.epochs;
    this.maxSteps = b.maxSteps;
    this.seed = b.seed;
    this.shuffle = b.shuffle;
    this.validation = b.validation;
    this.schedule = b.schedule;
    this.listeners = b.listeners.build();
    this.recalibrationBatches = b.recalibrationBatches;
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks a BatchNorm re-estimation batch count a user set: in [0, {@value
   * #MAX_RECALIBRATION_BATCHES}], 0 meaning off. Every builder with a {@code
   * batchNormRecalibration} setting (training, pruners, SFW, structured pruning) applies it, so
   * they accept the same range with the same message.
   *
   * @throws IllegalArgumentException naming the setting and the range otherwise
   */
  public static int checkRecalibrationBatches(int batches) {
    checkArgument(batches >= 0 && batches <= MAX_RECALIBRATION_BATCHES,
        "batchNormRecalibration batches must be in [0, %s] (0: off), got %s",
        MAX_RECALIBRATION_BATCHES, batches);
    return batches;
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder().optimizer(optimizer).batchSize(batchSize).seed(seed)
        .shuffle(shuffle).learningRateSchedule(schedule);
    // Copied as they are, not through the setters: the copy may change either length afresh.
    b.epochs = epochs;
    b.maxSteps = maxSteps;
    b.validation = validation;
    listeners.forEach(b::listener);
    return b;
  }

  /** The optimizer setting. */
  public OptimizerSpec optimizer() {
    return optimizer;
  }

  /** Examples per optimizer step. */
  public int batchSize() {
    return batchSize;
  }

  /** Passes over the training set (the run may stop earlier at {@link #maxSteps()}). */
  public int epochs() {
    return epochs;
  }

  /** Cap on the total number of steps; 0 means no cap. */
  public long maxSteps() {
    return maxSteps;
  }

  /** Seed of the per-epoch shuffling. */
  public long seed() {
    return seed;
  }

  /** Whether examples are reshuffled every epoch. */
  public boolean shuffle() {
    return shuffle;
  }

  /** Data evaluated after every epoch, if any. */
  public Optional<Dataset> validation() {
    return Optional.ofNullable(validation);
  }

  /**
   * The learning rate over the run, as a factor on the optimizer's rate at each step (default
   * {@link LearningRateSchedule#constant()}).
   */
  public LearningRateSchedule learningRateSchedule() {
    return schedule;
  }

  /** Listeners called during training. */
  public List<TrainingListener> listeners() {
    return listeners;
  }

  /**
   * Batches of training data over which {@code fit} re-estimates every BatchNorm's moving
   * statistics once the run ends (as {@code Cnn.recalibrateBatchNorm} does), as set with {@link
   * Builder#batchNormRecalibration} (0: never). Empty (the default): a run re-estimates on {@link
   * #DEFAULT_WARM_UP_RECALIBRATION} batches only if it ends with the statistics still warming up,
   * and a network without BatchNorm is left alone.
   */
  public OptionalInt batchNormRecalibration() {
    return recalibrationBatches == null ? OptionalInt.empty()
        : OptionalInt.of(recalibrationBatches);
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("optimizer", optimizer)
        .add("batchSize", batchSize)
        .add("epochs", epochs)
        .add("maxSteps", maxSteps)
        .add("seed", seed)
        .add("shuffle", shuffle)
        .add("validation", validation)
        .add("learningRateSchedule", schedule)
        .add("listeners", listeners.size())
        .add("batchNormRecalibration", recalibrationBatches == null ? "while warming up"
            : recalibrationBatches.toString())
        .toString();
  }

  /** Fluent builder of {@link Training}; each setter checks its argument. */
  public static final class Builder {
    private OptimizerSpec optimizer = DEFAULT_OPTIMIZER;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int epochs = DEFAULT_EPOCHS;
    private long maxSteps;
    private long seed = DEFAULT_SEED;
    private boolean shuffle = true;
    private Dataset validation;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private boolean epochsSet;
    private boolean stepsSet;
    private Integer recalibrationBatches;
    private final ImmutableList.Builder<TrainingListener> listeners = ImmutableList.builder();

    private Builder() {}

    /** The optimizer, from {@link Optimizers}. */
    public Builder optimizer(OptimizerSpec optimizer) {
      this.optimizer = Require.notNull("optimizer", optimizer);
      return this;
    }

    /** Examples per step, in [1, 65536]. */
    public Builder batchSize(int batchSize) {
      this.batchSize = Require.inClosed("batchSize", batchSize, 1, MAX_BATCH_SIZE);
      return this;
    }

    /**
     * Passes over the data, in [1, 100000]. The run's length is set by this or by {@link #steps},
     * not both.
     */
    public Builder epochs(int epochs) {
      this.epochs = Require.inClosed("epochs", epochs, 1, MAX_EPOCHS);
      this.maxSteps = 0;
      this.epochsSet = true;
      return this;
    }

    /**
     * Trains for exactly {@code steps} optimizer steps (at least 1), in as many epochs as that
     * takes; the last epoch may be partial. The run's length is set by this or by {@link
     * #epochs}, not both.
     */
    public Builder steps(long steps) {
      this.maxSteps = Require.atLeast("steps", steps, 1);
      this.epochs = MAX_EPOCHS;
      this.stepsSet = true;
      return this;
    }

    /**
     * How the learning rate changes over the run: a factor on the optimizer's rate at each step,
     * counted over the run's total steps (default constant).
     */
    public Builder learningRateSchedule(LearningRateSchedule schedule) {
      this.schedule = Require.notNull("learningRateSchedule", schedule);
      return this;
    }

    /** Seed of the shuffling. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Whether to reshuffle every epoch (default true). */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** Data to evaluate after every epoch; must be non-empty. */
    public Builder validation(Dataset validation) {
      this.validation = Dataset.requireNonEmpty("validation data", validation);
      return this;
    }

    /** Adds a listener. */
    public Builder listener(TrainingListener listener) {
      listeners.add(Require.notNull("listener", listener));
      return this;
    }

    /**
     * Re-estimates every BatchNorm's moving statistics over {@code batches} training batches
     * when the run ends, in [0, 100000]; 0 turns it off. Unset, a run does it on {@value
     * Training#DEFAULT_WARM_UP_RECALIBRATION} batches only when it ends while its statistics are still
     * warming up (a short run: see {@link org.fwprune.core.model.LayerSpec.BatchNorm}).
     */
    public Builder batchNormRecalibration(int batches) {
      this.recalibrationBatches = checkRecalibrationBatches(batches);
      return this;
    }

    /**
     * Builds the immutable configuration.
     *
     * @throws IllegalStateException if both {@link #epochs} and {@link #steps} were set
     */
    public Training build() {
      checkState(!(epochsSet && stepsSet),
          "set the run's length with epochs(...) or with steps(...), not both");
      return new Training(this);
    }
  }
}
