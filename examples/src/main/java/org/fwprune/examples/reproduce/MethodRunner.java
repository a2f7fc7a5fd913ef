package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import java.util.Map;
import java.util.Optional;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.TrainingListener;
import org.fwprune.pruning.PruningListener;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.catalogue.FineTune;
import org.fwprune.pruning.catalogue.MethodSettings;
import org.fwprune.pruning.catalogue.PruningMethod;
import org.fwprune.pruning.structured.StructuredResult;

/**
 * Applies one {@link Method} to a model, in place or (the structured methods) into a new, smaller
 * network, with a fixed budget of minibatch gradients and a fine-tune learning rate: the
 * reproduction's driver of the library's catalogue ({@link PruningMethod}, which defines each
 * pruning method), plus the two dense baselines. Immutable.
 *
 * <ul>
 *   <li>{@code dense}: nothing;
 *   <li>{@code dense-trained-on}: {@code steps} steps of SGD with momentum;
 *   <li>{@code one-shot}, {@code gradual-magnitude}: {@code MagnitudePruner} in mode
 *       {@code ONE_SHOT} or {@code GRADUAL};
 *   <li>{@code fw}: {@code FwPruner} without momentum, the target sparsity from the start, step
 *       size gradient-rescaled with alpha {@value PruningMethod#FW_ALPHA};
 *   <li>{@code fw-momentum}: {@code FwPruner} with its defaults;
 *   <li>{@code structured-fw}: {@code StructuredPruner} with its defaults (greedy forward
 *       selection, its default keep rule, the setting docs/structured.md chose),
 *       then {@code steps} steps of SGD with momentum on the smaller network;
 *   <li>{@code structured-l1}: {@link StructuredPruner} with {@code L1_NORM} and
 *       {@code KeepRule.counts} equal to the filters {@code structured-fw} keeps on the same model
 *       and seed (equal FLOPs), then the same fine-tune.
 * </ul>
 *
 * Every pruner counts its Frank-Wolfe gradients inside the same budget, and fine-tunes with SGD
 * with momentum at the given learning rate. The structured methods build a new network, so they
 * run in two calls, {@link #select} then {@link #fineTune}; their selection evaluates minibatch
 * losses, not gradients, so their whole gradient budget goes to the fine-tune.
 */
public final class MethodRunner {

  private final MethodSettings settings;
  private final long steps;
  private final double momentum;

  /**
   * A runner of every method that leaves BatchNorm statistics as training left them.
   *
   * @param targetSparsity fraction of zeros over the kernels the pruners reach, in [0, 1)
   * @param steps minibatch gradients per method, at least 1
   * @param batchSize minibatch size, in [1, 65536]
   * @param momentum momentum of the fine-tune optimizer, in [0, 1)
   * @param pruningFraction share of the budget over which the gradual pruners raise the
   *     sparsity, in [0, 1]
   * @param schedule the fine-tune learning rate over each method's budget, as a factor on the
   *     rate a call is given
   */
  public MethodRunner(double targetSparsity, long steps, int batchSize, double momentum,
      double pruningFraction, LearningRateSchedule schedule) {
    this(targetSparsity, steps, batchSize, momentum, pruningFraction, schedule, 0);
  }

  /**
   * A runner of every method.
   *
   * @param recalibrationBatches training minibatches over which every method that trains
   *     re-estimates BatchNorm statistics at the end of its budget (no weight change, no
   *     gradient), in [0, 100000]; 0 = none
   * @see #MethodRunner(double, long, int, double, double, LearningRateSchedule)
   */
  public MethodRunner(double targetSparsity, long steps, int batchSize, double momentum,
      double pruningFraction, LearningRateSchedule schedule, int recalibrationBatches) {
    // The catalogue's settings check every value with the library pruners' own ranges.
    this.momentum = Require.inClosedOpen("momentum", momentum, 0, 1);
    this.settings = MethodSettings.builder().targetSparsity(targetSparsity).steps(steps)
        .batchSize(batchSize).pruningFraction(pruningFraction).learningRateSchedule(schedule)
        .batchNormRecalibration(recalibrationBatches).build();
    this.steps = steps;
  }

  /** A runner with the settings of {@code config}. */
  public static MethodRunner of(ReproduceConfig config) {
    return new MethodRunner(config.targetSparsity(), config.fineTuneSteps(), config.batchSize(),
        config.fineTuneMomentum(), config.pruningFraction(), config.fineTuneSchedule(),
        config.batchNormRecalibration());
  }

  /**
   * What applying a method cost.
   *
   * @param gradientEvaluations minibatch gradients computed
   * @param seconds wall time
   * @param report the pruner's report; empty for the dense methods
   */
  public record Outcome(long gradientEvaluations, double seconds, Optional<PruningReport> report) {}

  /**
   * Applies {@code method} to {@code model} in place.
   *
   * @param method a method that is not {@linkplain Method#isStructured() structured}
   * @param learningRate the fine-tune learning rate, in (0, 10]; ignored by {@code dense}
   * @param seed the seed of the minibatch order
   * @param gradients told about every minibatch gradient as it is computed
   * @throws IllegalArgumentException for a structured method, which cannot work in place
   * @throws org.fwprune.core.train.DivergenceException if the loss stops being finite
   */
  public Outcome run(Method method, Cnn model, Dataset train, double learningRate, long seed,
      ProgressListener gradients) {
    checkArgument(method != null && model != null && train != null && gradients != null,
        "method, model, train and listener must not be null");
    checkArgument(!method.isStructured(), "%s builds a new, smaller network and cannot change a"
        + " model in place; call select, then fineTune on the network it returns", method);
    if (method == Method.DENSE) {
      return new Outcome(0, 0, Optional.empty());
    }
    if (method == Method.DENSE_TRAINED_ON) {
      return fineTune(model, train, learningRate, seed, gradients);
    }
    MethodSettings cell = settings.toBuilder()
        .fineTune(Optimizers.momentum(learningRate, momentum)).seed(seed)
        .listener(new PruningListener() {
          private long seen;

          @Override
          public void onProgress(long evaluations, long budget, double sparsity) {
            gradients.onGradients(evaluations - seen);
            seen = evaluations;
          }
        }).build();
    PruningReport report = method.pruning().orElseThrow().pruner(cell).prune(model, train);
    return new Outcome(report.gradientEvaluations(), report.seconds(), Optional.of(report));
  }

  /**
   * Trains {@code model} in place for this runner's whole budget with SGD with momentum: what
   * {@code dense-trained-on} does to the checkpoint, and the structured methods to the network
   * {@link #select} returns.
   *
   * @param learningRate in (0, 10]
   * @param seed the seed of the minibatch order
   * @param gradients told about every minibatch gradient as it is computed
   * @throws org.fwprune.core.train.DivergenceException if the loss stops being finite
   */
  public Outcome fineTune(Cnn model, Dataset train, double learningRate, long seed,
      ProgressListener gradients) {
    checkArgument(model != null && train != null && gradients != null,
        "model, train and listener must not be null");
    long start = System.nanoTime();
    FineTune.run(model, train, settings.toBuilder()
        .fineTune(Optimizers.momentum(learningRate, momentum)).seed(seed).build(),
        new TrainingListener() {
          @Override
          public void onStep(int epoch, int step, double loss) {
            gradients.onGradients(1);
          }
        });
    return new Outcome(steps, (System.nanoTime() - start) / 1e9, Optional.empty());
  }

  /**
   * The filter selection of a structured method: the smaller network, before fine-tuning, built
   * from {@code model}'s weights; {@code model} is left as it was. Fine-tune the result's model
   * with {@link #fineTune}, which gives it the same budget as every other method; this equals
   * {@code StructuredPruner.prune} with that fine-tune, but leaves the network in the caller's
   * hands if the fine-tune diverges.
   *
   * @param method {@code structured-fw} or {@code structured-l1}
   * @param seed the seed of the candidate sets, minibatches and accuracy subset of the greedy
   *     selection (the one that fixes the counts of {@code structured-l1} too)
   * @param greedyCounts for {@code structured-l1}: the filters per layer that {@code
   *     structured-fw} keeps on this model and seed, if known ({@link StructuredResult#keptCounts});
   *     empty to compute them here, which runs the greedy selection first. Must be empty for
   *     {@code structured-fw}
   * @return the selection, which owns the smaller network: close it
   */
  public StructuredResult select(Method method, Cnn model, Dataset train, long seed,
      Optional<Map<String, Integer>> greedyCounts) {
    checkArgument(method != null && model != null && train != null && greedyCounts != null,
        "method, model, train and greedyCounts must not be null");
    checkArgument(method.isStructured(), "expected a structured method, found %s", method);
    MethodSettings cell = settings.toBuilder().seed(seed).build();
    Optional<Map<String, Integer>> counts = method == Method.STRUCTURED_L1
        && greedyCounts.isEmpty() ? Optional.of(greedyCounts(model, train, seed)) : greedyCounts;
    return method.pruning().orElseThrow().filterSelection(cell, counts).prune(model, train);
  }

  /** The filters per layer that {@code structured-fw} keeps on {@code model} with {@code seed}. */
  public Map<String, Integer> greedyCounts(Cnn model, Dataset train, long seed) {
    try (StructuredResult greedy = select(Method.STRUCTURED_FW, model, train, seed,
        Optional.empty())) {
      return greedy.keptCounts();
    }
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("settings", settings)
        .add("momentum", momentum)
        .toString();
  }
}
