package org.fwprune.examples.sfw;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.Network;
import org.fwprune.examples.study.GridRunner;
import org.fwprune.examples.study.RowFormat;
import org.fwprune.examples.study.StudyRecipe;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.constraints.Constraint;
import org.fwprune.pruning.constraints.KSparsePolytope;
import org.fwprune.pruning.constraints.KSupportNormBall;
import org.fwprune.pruning.sfw.MomentumConvention;
import org.fwprune.pruning.sfw.SfwTrainer;

/**
 * The any-sparsity study of docs/sfw.md on the paper CNN or ResNet-20 ({@code --network}): train
 * once (SFW, or SGD with momentum) and magnitude-prune the result to every target sparsity with no retraining, and with a short
 * masked fine-tune; against gradual magnitude pruning run once per target with the same gradient
 * budget. A recipe of the {@link GridRunner}: its cells are the (method, seed) pairs in method-major
 * order; {@code fwprune study sfw} runs it.
 */
public final class SfwStudy implements StudyRecipe<SfwStudy.Cell, StudyRow> {

  /** Settings of a study run. */
  public record Settings(int epochs, int batchSize, List<Double> targets, long fineTuneSteps,
      List<Long> seeds, List<StudyMethod> methods, int threads, Network network,
      Pruning pruning) {
    /** Copies the lists and checks the ranges. */
    public Settings {
      checkArgument(epochs >= 2 && epochs % 2 == 0,
          "epochs must be even and >= 2 (GMP trains dense for half), got %s", epochs);
      checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
      checkArgument(fineTuneSteps >= 1, "fineTuneSteps must be >= 1, got %s", fineTuneSteps);
      checkArgument(threads >= 0, "threads must be >= 0, got %s", threads);
      checkArgument(network != null, "network must not be null");
      checkArgument(pruning != null, "pruning must not be null");
      Recalibration.check(pruning.batchNormRecalibration(), network);
      for (double t : targets) {
        Require.inOpen("every target sparsity", t, 0, 1);
      }
      targets = ImmutableList.copyOf(targets);
      seeds = ImmutableList.copyOf(seeds);
      methods = ImmutableList.copyOf(methods);
    }

    /** Settings whose pruning steps use {@link Pruning#DEFAULT}. */
    public Settings(int epochs, int batchSize, List<Double> targets, long fineTuneSteps,
        List<Long> seeds, List<StudyMethod> methods, int threads, Network network) {
      this(epochs, batchSize, targets, fineTuneSteps, seeds, methods, threads, network,
          Pruning.DEFAULT);
    }
  }

  /**
   * How every {@code MagnitudePruner} of the study trains and ends: the learning rate of its
   * masked SGD with momentum 0.9 (GMP's pruning phase and the short fine-tune of the "+
   * fine-tune" rows) and the BatchNorm recalibration batches after each prune (0: none).
   */
  public record Pruning(double learningRate, int batchNormRecalibration) {
    /** The library's defaults: learning rate 0.1, no recalibration. */
    public static final Pruning DEFAULT = new Pruning(0.1, 0);

    /** Checks the ranges. */
    public Pruning {
      Require.inOpenClosed("pruner learning rate", learningRate, 0, 10);
      Recalibration.checkRange(batchNormRecalibration);
    }

    /** A magnitude pruner in {@code mode} with these settings. */
    MagnitudePruner.Builder pruner(MagnitudePruner.Mode mode) {
      return MagnitudePruner.builder().mode(mode)
          .fineTune(Optimizers.momentum(learningRate, 0.9))
          .batchNormRecalibration(batchNormRecalibration);
    }
  }

  /**
   * One cell of the grid: a method trained with a seed, then pruned to every target.
   *
   * @param method the training method
   * @param seed seed of the initialisation, dropout and minibatch order
   */
  public record Cell(StudyMethod method, long seed) {}

  private final ExperimentData split;
  private final Settings settings;

  /** The study of {@code settings} on {@code split}. */
  public SfwStudy(ExperimentData split, Settings settings) {
    this.split = Require.notNull("split", split);
    this.settings = Require.notNull("settings", settings);
  }

  @Override
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (StudyMethod method : settings.methods()) {
      for (long seed : settings.seeds()) {
        cells.add(new Cell(method, seed));
      }
    }
    return cells;
  }

  @Override
  public void run(Cell cell, Consumer<StudyRow> sink) {
    new Run(split, settings, cell.method(), cell.seed(), sink).run();
  }

  @Override
  public Cell cellOf(StudyRow row) {
    return new Cell(row.method(), row.seed());
  }

  @Override
  public RowFormat<StudyRow> format() {
    return StudyRow.FORMAT;
  }

  /** The measurements of one cell. */
  private record Run(ExperimentData split, Settings s, StudyMethod method, long seed,
      Consumer<StudyRow> sink) {

    long budget() {
      return Budget.steps(split, s.epochs(), s.batchSize());
    }

    void run() {
      try (Cnn model = Budget.model(s.network(), seed, s.threads())) {
        switch (method) {
          case SFW -> trainSfw(model, KSparsePolytope.ofFraction(0.05),
              SfwTrainer.DEFAULT_BIAS_CONSTRAINT);
          case SFW_SPARSE_BIASES -> trainSfw(model, KSparsePolytope.ofFraction(0.05),
              KSparsePolytope.ofFraction(0.05));
          case SFW_KSUPPORT -> trainSfw(model, KSupportNormBall.ofFraction(0.05),
              SfwTrainer.DEFAULT_BIAS_CONSTRAINT);
          case SFW_K2 -> trainSfw(model, KSparsePolytope.ofFraction(0.02),
              SfwTrainer.DEFAULT_BIAS_CONSTRAINT);
          case SFW_SUM -> trainSfw(model, KSparsePolytope.ofFraction(0.05),
              SfwTrainer.DEFAULT_BIAS_CONSTRAINT, MomentumConvention.SUM, 1.0);
          case SFW_SUM_TENTH_LR -> trainSfw(model, KSparsePolytope.ofFraction(0.05),
              SfwTrainer.DEFAULT_BIAS_CONSTRAINT, MomentumConvention.SUM, 0.1);
          case SGD_MOMENTUM -> model.fit(split.train(), dense(budget()));
          case GMP -> {
            gmp(model);
            return;
          }
          default -> throw new IllegalStateException("unhandled method " + method);
        }
        record(model, 0, 0, 0, budget());
        boolean sfw = method != StudyMethod.SGD_MOMENTUM;
        for (double target : s.targets()) {
          pruneCopy(model, target, 0);
          if (sfw) {
            pruneCopy(model, target, s.fineTuneSteps());
          }
        }
      }
    }

    void trainSfw(Cnn model, Constraint kernels, Constraint biases) {
      trainSfw(model, kernels, biases, MomentumConvention.AVERAGE, 1.0);
    }

    void trainSfw(Cnn model, Constraint kernels, Constraint biases,
        MomentumConvention convention, double learningRate) {
      SfwTrainer.builder().constraint(kernels).biasConstraint(biases).tau(15)
          .learningRate(learningRate).momentum(0.9).momentumConvention(convention)
          .epochs(s.epochs()).batchSize(s.batchSize()).seed(seed)
          .batchNormRecalibration(0).build()
          .fit(model, split.train());
    }

    Training dense(long steps) {
      return Budget.sgdMomentum(steps, s.batchSize(), seed);
    }

    /** Prunes a copy to {@code target} (fine-tuning {@code steps} with the mask fixed). */
    void pruneCopy(Cnn model, double target, long steps) {
      try (Cnn copy = model.copy()) {
        PruningReport r = s.pruning().pruner(MagnitudePruner.Mode.ONE_SHOT)
            .targetSparsity(target).steps(steps).batchSize(s.batchSize()).seed(seed).build()
            .prune(copy, split.train());
        record(copy, target, r.sparsity(), steps, budget() + steps);
      }
    }

    /** Half the budget dense, then GMP to each target on a copy for the other half. */
    void gmp(Cnn model) {
      long half = budget() / 2;
      model.fit(split.train(), dense(half));
      for (double target : s.targets()) {
        try (Cnn copy = model.copy()) {
          PruningReport r = s.pruning().pruner(MagnitudePruner.Mode.GRADUAL)
              .targetSparsity(target).steps(budget() - half).batchSize(s.batchSize()).seed(seed)
              .build().prune(copy, split.train());
          record(copy, target, r.sparsity(), 0, budget());
        }
      }
    }

    void record(Cnn model, double target, double sparsity, long steps, long gradients) {
      Dataset validation = split.validation();
      sink.accept(new StudyRow(method, seed, target, sparsity, steps, gradients,
          model.evaluate(validation).accuracy(), model.evaluate(split.test()).accuracy()));
    }
  }
}
