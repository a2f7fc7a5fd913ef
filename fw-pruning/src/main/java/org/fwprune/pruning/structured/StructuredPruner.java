package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.MoreObjects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.PrunableModel;
import org.fwprune.core.train.OptimizerSpec;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.core.train.internal.BatchNormRecalibration;

/**
 * Structured pruning: keeps a subset of the channels of each group of coupled channels ({@link
 * ChannelGroups}: in a chain, the filters of a conv layer or the units of a hidden dense layer; in
 * a residual network, every conv and BatchNorm whose output reaches the same add), builds the
 * physically smaller network and fine-tunes it. The original model is not changed; {@link #prune}
 * returns a new one.
 *
 * <p>Greedy forward selection (docs/algorithms.md; Ye et al. 2020, "Good subnetworks
 * provably exist: pruning via greedy forward selection"; Wolfe et al. 2023) is Frank-Wolfe over the
 * convex hull of a layer's filter contributions with step {@code 1/(n+1)}: layers are processed
 * from input to output; a layer starts with no filter, and each step draws a minibatch of
 * {@code subsampleSize} training examples and a random set of {@code candidates} unselected
 * filters, computes the loss of the network in which the layer keeps its selected filters plus
 * one candidate (all candidates in one session run), and adds the candidate with the lowest loss.
 * The layer stops growing at the target of its {@link KeepRule}. Earlier layers stay pruned while
 * later ones are chosen. In a residual network the unit is a channel group, scored as a whole.
 * With {@link SelectionMethod#L1_NORM} the channels are instead taken by decreasing L1 norm
 * (Li et al. 2017), with {@link SelectionMethod#BN_SCALE} by decreasing BatchNorm scale (Liu et
 * al. 2017). Then {@link FilterSurgery} copies the kept weights into the
 * smaller architecture, which is fine-tuned for the same budget whatever the selection method.
 */
public final class StructuredPruner {

  /** Default selection method. */
  public static final SelectionMethod DEFAULT_SELECTION = SelectionMethod.GREEDY_FORWARD;
  /**
   * Default keep rule: stop a layer at 98% of the original's training-subset accuracy (the example
   * value in docs/algorithms.md), keeping at most half of its filters, so that the network gets
   * smaller even where the rule is never met.
   */
  public static final KeepRule DEFAULT_KEEP = KeepRule.accuracy(0.98, 0.5);
  /** Default number of candidate filters scored per step. */
  public static final int DEFAULT_CANDIDATES = 32;
  /** Default minibatch size of each candidate evaluation. */
  public static final int DEFAULT_SUBSAMPLE_SIZE = 128;
  /** Default size of the training subset on which the accuracy rule is checked. */
  public static final int DEFAULT_ACCURACY_SUBSET = 2000;
  /** Default combination of the kept filters: plain removal. */
  public static final Scaling DEFAULT_SCALING = Scaling.MASK;
  /**
   * Default fine-tune optimizer: SGD with momentum 0.9, learning rate 0.01. The unstructured
   * pruners default to 0.1; docs/structured.md tunes the rate on validation per experiment (0.05
   * was best for the paper network).
   */
  public static final OptimizerSpec DEFAULT_FINE_TUNE = Optimizers.momentum(0.01, 0.9);
  /** Default fine-tune length in passes over the training data. */
  public static final double DEFAULT_FINE_TUNE_EPOCHS = 1;
  /** Default fine-tune minibatch size. */
  public static final int DEFAULT_BATCH_SIZE = 128;
  /**
   * Default examples per call at which {@code prune} measures a {@link LatencyTable} for
   * {@link KeepRule#flops(double)} and {@link KeepRule#filters(double)}: large enough that the
   * times are those of throughput, small enough that ResNet-20's table takes well under a minute.
   */
  public static final int DEFAULT_LATENCY_BATCH = 128;
  /** Timed calls per network when {@code prune} measures a {@link LatencyTable}. */
  public static final int DEFAULT_LATENCY_REPEATS = 5;

  /**
   * The settings {@link FilterSelector} reads: how the kept channels are chosen, and the seed of
   * the candidate sets, minibatches and accuracy subset (and of the fine-tune's order).
   */
  record SelectionSettings(SelectionMethod selection, KeepRule keep, int candidates,
      int subsampleSize, int accuracySubset, Scaling scaling, boolean includeDense, long seed,
      LatencyTable latency) {

    /** The same settings with {@code table} as the latency table. */
    SelectionSettings withLatency(LatencyTable table) {
      return new SelectionSettings(selection, keep, candidates, subsampleSize, accuracySubset,
          scaling, includeDense, seed, table);
    }
  }

  private final SelectionSettings selection;
  private final int latencyBatch;
  private final OptimizerSpec fineTune;
  private final long fineTuneSteps;
  private final double fineTuneEpochs;
  private final int batchSize;
  private final Dataset validation;
  private final OptionalInt recalibrationBatches;

  private StructuredPruner(Builder b) {
    this.selection = new SelectionSettings(b.selection, b.keep, b.candidates, b.subsampleSize,
        b.accuracySubset, b.scaling, b.includeDense, b.seed, b.latencyTable);
    this.latencyBatch = b.latencyBatch.orElse(DEFAULT_LATENCY_BATCH);
    this.fineTune = b.fineTune;
    this.fineTuneSteps = b.fineTuneSteps;
    this.fineTuneEpochs = b.fineTuneEpochs;
    this.batchSize = b.batchSize;
    this.validation = b.validation;
    this.recalibrationBatches = b.recalibrationBatches;
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Selects the filters to keep, builds the smaller network, fine-tunes it on {@code train} and
   * returns it with a report. {@code model} is left as it was. For a latency-guided rule without
   * a given table it first measures one ({@link LatencyTable#measure}, at
   * {@link Builder#latencyBatch}; about 5 minutes for ResNet-20 on a loaded 2-core machine).
   *
   * @return the result, which owns the new model: close it
   * @throws IllegalArgumentException if no channel group of the network can be shrunk exactly
   *     (the message names each and why), the data does not fit the model, a {@link
   *     KeepRule#counts} entry names a layer this pruner does not prune or too many filters,
   *     {@link SelectionMethod#BN_SCALE} meets a group without BatchNorm, {@link
   *     Scaling#AVERAGE} a group of several layers, a latency-guided {@link KeepRule#flops(double)}
   *     or {@link KeepRule#filters(double)} budget cannot be met at the smallest fast widths, or a
   *     given {@link LatencyTable} lacks a pruned group or one of its widths
   * @throws IllegalStateException if the model is closed or being trained or pruned elsewhere
   * @throws org.fwprune.core.train.DivergenceException if the fine-tune loss stops being finite
   */
  public StructuredResult prune(Cnn model, Dataset train) {
    checkArgument(model != null, "model must not be null");
    FilterSurgery.checkSupported(model.architecture());
    if (selection.scaling() == Scaling.AVERAGE) {
      // The Frank-Wolfe average is defined for one layer's filters (docs/structured.md); a
      // BatchNorm would normalise the factor away, and a second producer would see it twice.
      FilterSelector.considered(model.architecture(), selection.includeDense())
          .forEach(g -> checkArgument(g.norms().isEmpty() && g.depthwise().isEmpty()
              && g.producers().size() == 1, "scaling AVERAGE needs channel groups of one layer"
              + " without BatchNorm; %s has layers %s; use scaling MASK", g.name(), g.members()));
    }
    PrunableModel graph = model.prunable();
    graph.checkCompatible(train, "training data");
    checkArgument(train.size() > 0, "training data must not be empty");
    if (validation != null) {
      graph.checkCompatible(validation, "validation data");
    }
    int recalibration = BatchNormRecalibration.resolve(recalibrationBatches,
        model.architecture().hasBatchNorm());
    long start = System.nanoTime();
    double before = validation == null ? Double.NaN : model.evaluate(validation).accuracy();
    SelectionSettings settings = selection;
    if (FilterSelector.latencyGuided(selection.keep()) && selection.latency() == null) {
      settings = selection.withLatency(LatencyTable.measure(model, latencyBatch,
          DEFAULT_LATENCY_REPEATS));
    }
    FilterSelector.Selection chosen = FilterSelector.select(settings, model, train);
    double selectionSeconds = (System.nanoTime() - start) / 1e9;
    Map<String, List<Integer>> kept = new LinkedHashMap<>();
    Map<String, Double> scales = new LinkedHashMap<>();
    List<StructuredResult.LayerSelection> layers = new ArrayList<>();
    for (FilterSelector.Chosen c : chosen.layers()) {
      List<Integer> sorted = c.order().stream().sorted().toList();
      kept.put(c.group().name(), sorted);
      if (c.scale() != 1) {
        scales.put(c.group().name(), c.scale());
      }
      layers.add(new StructuredResult.LayerSelection(c.group().name(), c.group().channels(),
          sorted, c.scale()));
    }
    Cnn smaller = FilterSurgery.shrink(model, kept, scales);
    try {
      double pruned = validation == null ? Double.NaN : smaller.evaluate(validation).accuracy();
      long steps = fineTuneSteps(train.size());
      if (steps > 0) {
        smaller.fit(train, Training.builder().optimizer(fineTune).batchSize(batchSize)
            .steps(steps).seed(selection.seed()).batchNormRecalibration(0).build());
      }
      if (recalibration > 0) {
        smaller.recalibrateBatchNorm(train, recalibration);
      }
      double after = validation == null ? Double.NaN : smaller.evaluate(validation).accuracy();
      return new StructuredResult(smaller, toString(), layers, model.parameterCount(),
          smaller.parameterCount(), Flops.perExample(model.architecture()),
          Flops.perExample(smaller.architecture()), chosen.steps(),
          chosen.candidateEvaluations(), steps, selectionSeconds,
          (System.nanoTime() - start) / 1e9, before, pruned, after,
          LayerCost.compare(model.architecture(), smaller.architecture()),
          ChannelGroups.of(model.architecture()).whole(), Optional.ofNullable(settings.latency()));
    } catch (RuntimeException e) {
      smaller.close();
      throw e;
    }
  }

  /** Fine-tune steps for a training set of {@code n} examples. */
  long fineTuneSteps(int n) {
    if (fineTuneSteps >= 0) {
      return fineTuneSteps;
    }
    int batch = Math.min(batchSize, n);
    return Math.round(fineTuneEpochs * ((n + batch - 1) / batch));
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("selection", selection.selection())
        .add("keep", selection.keep())
        .add("candidates", selection.candidates())
        .add("subsampleSize", selection.subsampleSize())
        .add("accuracySubset", selection.accuracySubset())
        .add("scaling", selection.scaling())
        .add("includeDense", selection.includeDense())
        .add("fineTune", fineTune)
        .add("fineTuneBudget", fineTuneSteps >= 0 ? fineTuneSteps + " steps"
            : fineTuneEpochs + " epochs")
        .add("batchSize", batchSize)
        .add("seed", selection.seed())
        .add("latency", !FilterSelector.latencyGuided(selection.keep()) ? "none"
            : selection.latency() != null ? "given table at batch " + selection.latency().batchSize()
            : "measured at batch " + latencyBatch)
        .add("validation", validation)
        .add("batchNormRecalibration", BatchNormRecalibration.describe(recalibrationBatches))
        .toString();
  }

  /** Fluent builder; every setter checks its argument and names the allowed range. */
  public static final class Builder {
    private SelectionMethod selection = DEFAULT_SELECTION;
    private KeepRule keep = DEFAULT_KEEP;
    private int candidates = DEFAULT_CANDIDATES;
    private int subsampleSize = DEFAULT_SUBSAMPLE_SIZE;
    private int accuracySubset = DEFAULT_ACCURACY_SUBSET;
    private Scaling scaling = DEFAULT_SCALING;
    private boolean includeDense = true;
    private OptimizerSpec fineTune = DEFAULT_FINE_TUNE;
    private long fineTuneSteps = -1;
    private double fineTuneEpochs = DEFAULT_FINE_TUNE_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private long seed;
    private Dataset validation;
    private OptionalInt recalibrationBatches = OptionalInt.empty();
    private LatencyTable latencyTable;
    private OptionalInt latencyBatch = OptionalInt.empty();

    private Builder() {}

    /**
     * The measured times that {@link KeepRule#flops(double)} and {@link KeepRule#filters(double)}
     * allocate widths by, instead of a table that {@code prune} measures (for example the
     * {@link StructuredResult#latency()} of an earlier run on the same architecture, so that the
     * run is repeatable and skips the measurement). It must cover every pruned group; only those
     * two rules read it.
     */
    public Builder latencyTable(LatencyTable table) {
      this.latencyTable = Require.notNull("latency table", table);
      return this;
    }

    /**
     * Examples per call at which {@code prune} measures the {@link LatencyTable} of
     * {@link KeepRule#flops(double)} and {@link KeepRule#filters(double)}, in [1, 65536]; default
     * {@value #DEFAULT_LATENCY_BATCH}. 1 times {@link Cnn#predictor()}, the serving engine.
     */
    public Builder latencyBatch(int batchSize) {
      this.latencyBatch = OptionalInt.of(Require.inClosed("latencyBatch", batchSize, 1, 65_536));
      return this;
    }

    /** Greedy forward selection (default), L1 norms or BatchNorm scales. */
    public Builder selection(SelectionMethod selection) {
      checkArgument(selection != null,
          "selection must be GREEDY_FORWARD, L1_NORM or BN_SCALE, got null");
      this.selection = selection;
      return this;
    }

    /** How many filters each layer keeps; default {@link #DEFAULT_KEEP}. */
    public Builder keep(KeepRule keep) {
      this.keep = Require.notNull("keep rule", keep);
      return this;
    }

    /** Candidate filters scored per greedy step, in [1, 4096]; default 32 (capped at the layer's size). */
    public Builder candidates(int candidates) {
      this.candidates = Require.inClosed("candidates", candidates, 1, 4096);
      return this;
    }

    /** Examples in the minibatch of each greedy step, in [1, 65536]; default 128. */
    public Builder subsampleSize(int size) {
      this.subsampleSize = Require.inClosed("subsampleSize", size, 1, Training.MAX_BATCH_SIZE);
      return this;
    }

    /**
     * Training examples on which the {@link KeepRule#accuracy} rule is checked, in [1, 1000000];
     * default 2000 (capped at the training set's size).
     */
    public Builder accuracySubset(int size) {
      this.accuracySubset = Require.inClosed("accuracySubset", size, 1, 1_000_000);
      return this;
    }

    /** How kept filters combine: {@link Scaling#MASK} (default) or the FW average. */
    public Builder scaling(Scaling scaling) {
      checkArgument(scaling != null, "scaling must be MASK or AVERAGE, got null");
      this.scaling = scaling;
      return this;
    }

    /** Whether hidden dense layers lose units too (default true); conv layers always may. */
    public Builder includeDense(boolean includeDense) {
      this.includeDense = includeDense;
      return this;
    }

    /** Fine-tune optimizer; default SGD with momentum 0.9, learning rate 0.01. */
    public Builder fineTune(OptimizerSpec optimizer) {
      this.fineTune = Require.notNull("fineTune optimizer", optimizer);
      return this;
    }

    /** Fine-tune length in optimizer steps, in [0, 1e8] (0: none); overrides the epochs. */
    public Builder fineTuneSteps(long steps) {
      this.fineTuneSteps = Require.inClosed("fineTuneSteps", steps, 0, 100_000_000L);
      return this;
    }

    /** Fine-tune length in passes over the training data, in [0, 10000]; default 1. */
    public Builder fineTuneEpochs(double epochs) {
      this.fineTuneEpochs = Require.inClosed("fineTuneEpochs", epochs, 0, 10_000);
      this.fineTuneSteps = -1;
      return this;
    }

    /** Fine-tune minibatch size, in [1, 65536]; default 128. */
    public Builder batchSize(int batchSize) {
      this.batchSize = Require.inClosed("batchSize", batchSize, 1, Training.MAX_BATCH_SIZE);
      return this;
    }

    /** Seed of the candidate sets, minibatches, accuracy subset and fine-tune order. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Data on which to report accuracy before, after selection and after the fine-tune. */
    public Builder validation(Dataset validation) {
      this.validation = Dataset.requireNonEmpty("validation data", validation);
      return this;
    }

    /**
     * After the cut and the fine-tune, re-estimates every BatchNorm's moving statistics of the
     * smaller network over {@code batches} training minibatches of 128, in [0, 100000]; 0 turns
     * it off. Default: {@value Training#DEFAULT_WARM_UP_RECALIBRATION} for a network with
     * BatchNorm, nothing without. Removing filters changes what every later BatchNorm sees. A
     * positive count for a model without BatchNorm is refused by {@code prune}.
     */
    public Builder batchNormRecalibration(int batches) {
      this.recalibrationBatches = OptionalInt.of(Training.checkRecalibrationBatches(batches));
      return this;
    }

    /**
     * Builds the immutable pruner; checks that {@link Scaling#AVERAGE}, which belongs to greedy
     * forward selection, is not combined with a ranking method.
     */
    public StructuredPruner build() {
      checkState(scaling == Scaling.MASK || selection == SelectionMethod.GREEDY_FORWARD,
          "scaling AVERAGE needs selection GREEDY_FORWARD, got %s", selection);
      boolean guided = FilterSelector.latencyGuided(keep);
      checkState(guided || (latencyTable == null && latencyBatch.isEmpty()), "latencyTable and"
          + " latencyBatch are read only by KeepRule.flops(f) and KeepRule.filters(f), got keep"
          + " %s", keep);
      checkState(latencyTable == null || latencyBatch.isEmpty(), "give either latencyTable (a"
          + " table measured earlier) or latencyBatch (the batch size of a table prune"
          + " measures), not both");
      return new StructuredPruner(this);
    }
  }
}
