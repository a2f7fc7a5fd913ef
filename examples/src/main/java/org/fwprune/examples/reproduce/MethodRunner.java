package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import java.util.Optional;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.train.OptimizerSpec;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.core.train.TrainingListener;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.Pruner;
import org.fwprune.pruning.PruningListener;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.schedule.StepSize;

/**
 * Applies one {@link Method} to a model in place with a fixed budget of minibatch gradients and a
 * fine-tune learning rate: the single definition of each method, shared by the reproduction and
 * the {@code prune} command. Immutable.
 *
 * <ul>
 *   <li>{@code dense}: nothing;
 *   <li>{@code dense-trained-on}: {@code steps} steps of SGD with momentum;
 *   <li>{@code one-shot}, {@code gradual-magnitude}: {@link MagnitudePruner} in mode
 *       {@code ONE_SHOT} or {@code GRADUAL};
 *   <li>{@code fw}: {@link FwPruner} without momentum, the target sparsity from the start, step
 *       size gradient-rescaled with alpha {@value #FW_ALPHA};
 *   <li>{@code fw-momentum}: {@link FwPruner} with its defaults.
 * </ul>
 *
 * Every pruner counts its Frank-Wolfe gradients inside the same budget, and fine-tunes with SGD
 * with momentum at the given learning rate.
 */
public final class MethodRunner {

  /** Alpha of the gradient-rescaled step of plain {@code fw} (the reference's FW row). */
  public static final double FW_ALPHA = 0.05;

  private final double targetSparsity;
  private final long steps;
  private final int batchSize;
  private final double momentum;

  /**
   * A runner of every method.
   *
   * @param targetSparsity fraction of zeros over the kernels the pruners reach, in (0, 1)
   * @param steps minibatch gradients per method, at least 1
   * @param batchSize minibatch size, in [1, 65536]
   * @param momentum momentum of the fine-tune optimizer, in [0, 1)
   */
  public MethodRunner(double targetSparsity, long steps, int batchSize, double momentum) {
    checkArgument(targetSparsity > 0 && targetSparsity < 1,
        "targetSparsity must be in (0, 1), got %s", targetSparsity);
    checkArgument(steps >= 1, "steps must be at least 1, got %s", steps);
    checkArgument(batchSize >= 1 && batchSize <= 65_536,
        "batchSize must be in [1, 65536], got %s", batchSize);
    checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s", momentum);
    this.targetSparsity = targetSparsity;
    this.steps = steps;
    this.batchSize = batchSize;
    this.momentum = momentum;
  }

  /** A runner with the settings of {@code config}. */
  public static MethodRunner of(ReproduceConfig config) {
    return new MethodRunner(config.targetSparsity(), config.fineTuneSteps(), config.batchSize(),
        config.fineTuneMomentum());
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
   * @param learningRate the fine-tune learning rate, in (0, 10]; ignored by {@code dense}
   * @param seed the seed of the minibatch order
   * @param gradients told about every minibatch gradient as it is computed
   * @throws org.fwprune.core.train.DivergenceException if the loss stops being finite
   */
  public Outcome run(Method method, Cnn model, Dataset train, double learningRate, long seed,
      ProgressListener gradients) {
    checkArgument(method != null && model != null && train != null && gradients != null,
        "method, model, train and listener must not be null");
    if (method == Method.DENSE) {
      return new Outcome(0, 0, Optional.empty());
    }
    OptimizerSpec fineTune = Optimizers.momentum(learningRate, momentum);
    long start = System.nanoTime();
    if (method == Method.DENSE_TRAINED_ON) {
      model.fit(train, Training.builder().optimizer(fineTune).batchSize(batchSize).steps(steps)
          .seed(seed).listener(new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, double loss) {
              gradients.onGradients(1);
            }
          }).build());
      return new Outcome(steps, (System.nanoTime() - start) / 1e9, Optional.empty());
    }
    PruningReport report = pruner(method, fineTune, seed, new PruningListener() {
      private long seen;

      @Override
      public void onProgress(long evaluations, long budget, double sparsity) {
        gradients.onGradients(evaluations - seen);
        seen = evaluations;
      }
    }).prune(model, train);
    return new Outcome(report.gradientEvaluations(), report.seconds(), Optional.of(report));
  }

  /** The pruner of a pruning method, with this runner's budget and the given fine-tuning. */
  Pruner pruner(Method method, OptimizerSpec fineTune, long seed, PruningListener listener) {
    return switch (method) {
      case ONE_SHOT, GRADUAL_MAGNITUDE -> MagnitudePruner.builder()
          .mode(method == Method.ONE_SHOT ? MagnitudePruner.Mode.ONE_SHOT
              : MagnitudePruner.Mode.GRADUAL)
          .targetSparsity(targetSparsity).steps(steps).batchSize(batchSize).fineTune(fineTune)
          .seed(seed).listener(listener).build();
      case FW -> FwPruner.builder()
          .momentum(0).initialSparsity(targetSparsity).stepSize(StepSize.gradientRescaled(FW_ALPHA))
          .targetSparsity(targetSparsity).steps(steps).batchSize(batchSize).fineTune(fineTune)
          .seed(seed).listener(listener).build();
      case FW_MOMENTUM -> FwPruner.builder()
          .targetSparsity(targetSparsity).steps(steps).batchSize(batchSize).fineTune(fineTune)
          .seed(seed).listener(listener).build();
      case DENSE, DENSE_TRAINED_ON -> throw new IllegalArgumentException(
          "expected a pruning method, found " + method);
    };
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("targetSparsity", targetSparsity)
        .add("steps", steps)
        .add("batchSize", batchSize)
        .add("momentum", momentum)
        .toString();
  }
}
