package org.fwprune.examples.engine;

import java.nio.file.Path;
import java.util.List;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.MedianTimer;
import org.fwprune.core.runtime.Devices;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.ServedModel;
import org.fwprune.core.train.OptimizerSpec;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.internal.BatchSampler;
import org.fwprune.core.train.internal.TrainStep;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.PrunerBuilder;
import org.fwprune.pruning.constraints.KSparsePolytope;
import org.fwprune.pruning.fw.internal.FrankWolfeStep;
import org.fwprune.pruning.mask.MaskOps;
import org.fwprune.pruning.schedule.MomentumSchedule;
import org.fwprune.pruning.scope.Scope;
import org.fwprune.pruning.transform.MovingAverage;

/**
 * The examples' one door into the library's engine, the packages that core and fw-pruning do not
 * export: the time of single engine pieces (a training step, a Frank-Wolfe step), the graph's op
 * count, and a SavedModel run the way a serving user runs it. The
 * public API offers none of these because a user of the library has no use for them; benchmarks
 * and diagnostics do. {@code ExamplesArchitectureTest} allows engine imports in this package and
 * nowhere else in the examples.
 */
public final class EngineProbe {

  /** Untimed calls before each timed median, so that the JIT and TensorFlow settle. */
  private static final int WARM_UP = 20;
  /** Shuffling seed of the timed batches. */
  private static final long SEED = 3;

  /**
   * Median seconds of the steps that a training run, a magnitude fine-tune and a default
   * Frank-Wolfe pruning run each repeat, on the same batches of one model.
   *
   * @param sgdSeconds one plain SGD step (lr 0.05)
   * @param fineTuneSeconds one momentum step (lr 0.01, momentum 0.9) with the masks applied
   * @param fwMomentumSeconds one step of {@code FwPruner.builder().build()}: gradient, moving
   *     average, LMO, Frank-Wolfe update and the global re-threshold of the masks
   */
  public record StepCosts(double sgdSeconds, double fineTuneSeconds, double fwMomentumSeconds) {}

  private EngineProbe() {}

  /** Median seconds of one {@code spec} step of {@code model} at {@code batchSize}. */
  public static double medianTrainStep(Cnn model, OptimizerSpec spec, Dataset train,
      int batchSize, int repeats) {
    ModelGraph g = ModelGraph.of(model.prunable());
    BatchSampler sampler = new BatchSampler(train, batchSize, true, SEED);
    try (InputBatch batch = sampler.newBatch()) {
      return medianStep(g, spec, sampler, batch, repeats);
    }
  }

  /**
   * The three step costs of {@link StepCosts} on {@code model}; activates its masks (the
   * fine-tune and Frank-Wolfe steps of a pruned model keep them applied).
   */
  public static StepCosts stepCosts(Cnn model, Dataset train, int batchSize, int repeats) {
    ModelGraph g = ModelGraph.of(model.prunable());
    BatchSampler sampler = new BatchSampler(train, batchSize, true, SEED);
    // The step FwPruner.builder().build() runs, from the same public defaults.
    FrankWolfeStep.Setting setting = new FrankWolfeStep.Setting(
        KSparsePolytope.ofFraction(1 - PrunerBuilder.DEFAULT_TARGET_SPARSITY),
        FwPruner.DEFAULT_TAU, FwPruner.DEFAULT_STEP_SIZE,
        List.of(new MovingAverage(MomentumSchedule.constant(FwPruner.DEFAULT_MOMENTUM))));
    try (InputBatch batch = sampler.newBatch()) {
      double sgd = medianStep(g, Optimizers.sgd(0.05), sampler, batch, repeats);
      g.activateMasks();
      double fineTune = medianStep(g, Optimizers.momentum(0.01, 0.9), sampler, batch, repeats);
      FrankWolfeStep fw = FrankWolfeStep.of(g, setting);
      MaskOps mask = MaskOps.of(g, Scope.GLOBAL);
      double fwStep = MedianTimer.median(WARM_UP, repeats, () -> {
        sampler.next(batch);
        fw.run(g, batch);
        mask.apply(g, PrunerBuilder.DEFAULT_TARGET_SPARSITY);
      });
      return new StepCosts(sgd, fineTune, fwStep);
    }
  }

  /** Number of ops in {@code model}'s graph: constant across runs once it stops growing. */
  public static long graphOpCount(Cnn model) {
    return ModelGraph.of(model.prunable()).opCount();
  }

  /**
   * The output rows of the exported SavedModel in {@code dir} for every example of {@code data},
   * loaded with {@code SavedModelBundle} and called through its serving signature.
   */
  public static float[][] servedPredict(Path dir, Dataset data) {
    return ServedModel.predict(dir, data);
  }

  private static double medianStep(ModelGraph g, OptimizerSpec spec, BatchSampler sampler,
      InputBatch batch, int repeats) {
    TrainStep step = TrainStep.of(g, spec);
    return MedianTimer.median(WARM_UP, repeats, () -> {
      sampler.next(batch);
      step.run(g, spec, batch, List.of());
    });
  }
}
