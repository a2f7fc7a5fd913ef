package org.fwprune.examples.sfw;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.examples.cli.UsageErrors;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.study.GridRunner;
import org.fwprune.examples.study.RowFormat;
import org.fwprune.examples.study.StudyRecipe;
import org.fwprune.pruning.constraints.Constraint;
import org.fwprune.pruning.constraints.GroupKSupportNormBall;
import org.fwprune.pruning.constraints.L2Ball;
import org.fwprune.pruning.sfw.SfwTrainer;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.SelectionMethod;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The structured variant of docs/sfw.md on the paper CNN or ResNet-20 ({@code --network}): SFW
 * with a group K-support ball over each conv kernel's filters (Zimmer, Spiegel and Pokutta 2022),
 * then {@code StructuredPruner} at each FLOPs target, by default with L1 selection and no
 * fine-tune ({@code --selections} and {@code --fine-tune-steps} add other cuts of the same trained
 * network; with {@code --bn-recalibration N}, the BatchNorm statistics are re-estimated after each
 * cut); against SGD with momentum for the same gradients, cut the same way. Every (K fraction,
 * tau, dense constraint) combination is one SFW variant, so a grid on one seed is the validation
 * screen. Prints one CSV line per measurement as it is made; the {@link GridRunner} runs one trained
 * network per cell and, with {@code --out}, rewrites the file after each, so a rerun resumes.
 * {@code fwprune study sfw-filter}.
 */
@Command(name = "sfw-filter", resourceBundle = "org.fwprune.examples.sfw.FilterStudy",
    aliases = "sfw-filter-study", mixinStandardHelpOptions = true,
    description = "Structured variant: SFW in a group K-support ball, filters removed (by"
        + " default by L1 norm, without fine-tuning) at equal FLOPs, vs SGD with momentum"
        + " (docs/sfw.md).")
public final class FilterStudy implements Callable<Integer> {

  /** The training methods the filter study compares; labels {@code sfw-group, sgd-momentum}. */
  enum Method {
    /** SFW in a group K-support norm ball ({@link Recipe}). */
    SFW_GROUP,
    /** SGD with momentum 0.9, learning rate 0.05, for the same budget. */
    SGD_MOMENTUM
  }

  /** The constraint of the dense kernels in an SFW run; labels {@code l2, group}. */
  enum DenseKernels {
    /** An L2 ball, as the reference code (ZIB-IOL/compression-aware-SFW). */
    L2,
    /** The same group K-support ball as the convolutions. */
    GROUP
  }

  @Spec
  CommandSpec spec;

  @Mixin
  StudyOptions study = new StudyOptions();

  @Option(names = "--methods", split = ",", defaultValue = "sfw-group,sgd-momentum")
  List<String> methods;

  @Option(names = "--group-fractions", split = ",", defaultValue = "0.25")
  List<Double> groupFractions;

  @Option(names = "--taus", split = ",", defaultValue = "15")
  List<Double> taus;

  @Option(names = "--dense", split = ",", defaultValue = "l2")
  List<String> dense;

  @Option(names = "--flops", split = ",", defaultValue = "0.5,0.25")
  List<Double> flops;

  @Option(names = "--selections", split = ",", defaultValue = "l1-norm")
  List<String> selections;

  @Option(names = "--fine-tune-steps", split = ",", defaultValue = "0")
  List<Long> fineTuneSteps;

  @Override
  public Integer call() throws IOException {
    if (study.summarize(spec, FilterSummary::read, FilterSummary::markdown,
        FilterSummary::writeFiles)) {
      return 0;
    }
    List<Method> methodList = UsageErrors.check(spec,
        () -> methods.stream().map(m -> Labels.parse(Method.values(), "method", m)).toList());
    List<DenseKernels> denseList = UsageErrors.check(spec,
        () -> dense.stream().map(d -> Labels.parse(DenseKernels.values(), "--dense constraint", d))
            .toList());
    UsageErrors.check(spec, study::recalibrationBatches);
    List<Cut> cuts = UsageErrors.check(spec, this::cuts);
    ExperimentData split = study.data();
    study.run(new Grid(split, grid(methodList, denseList), cuts));
    return 0;
  }

  /** Every network the options train, seed-major: SGD with momentum, or an SFW variant. */
  private List<Network> grid(List<Method> methodList, List<DenseKernels> denseList) {
    List<Network> grid = new ArrayList<>();
    for (long seed : study.seeds.seeds()) {
      for (Method m : methodList) {
        if (m == Method.SGD_MOMENTUM) {
          grid.add(new Network(seed, Optional.empty()));
          continue;
        }
        for (double f : groupFractions) {
          for (double tau : taus) {
            for (DenseKernels d : denseList) {
              grid.add(new Network(seed, Optional.of(new Recipe(f, tau, d))));
            }
          }
        }
      }
    }
    return grid;
  }

  /**
   * A cell of the grid: one trained network, then every cut of it.
   *
   * @param seed seed of the initialisation and minibatch order
   * @param recipe the SFW variant; empty for SGD with momentum
   */
  record Network(long seed, Optional<Recipe> recipe) {}

  /** The filter study as a recipe of the {@link GridRunner}. */
  private final class Grid implements StudyRecipe<Network, FilterRow> {
    private final ExperimentData split;
    private final List<Network> cells;
    private final List<Cut> cuts;

    Grid(ExperimentData split, List<Network> cells, List<Cut> cuts) {
      this.split = split;
      this.cells = cells;
      this.cuts = cuts;
    }

    @Override
    public List<Network> cells() {
      return cells;
    }

    @Override
    public void run(Network cell, Consumer<FilterRow> sink) {
      FilterStudy.this.run(split, cell.seed(), cell.recipe().orElse(null), cuts, sink);
    }

    @Override
    public Network cellOf(FilterRow row) {
      return new Network(row.seed(), Double.isNaN(row.groupFraction()) ? Optional.empty()
          : Optional.of(new Recipe(row.groupFraction(), row.tau(),
              Labels.parse(DenseKernels.values(), "dense", row.dense()))));
    }

    @Override
    public RowFormat<FilterRow> format() {
      return FilterRow.FORMAT;
    }
  }

  /** An SFW variant: K fraction, tau and the dense kernels' constraint. */
  record Recipe(double groupFraction, double tau, DenseKernels dense) {
    SfwTrainer trainer(int epochs, long seed) {
      Constraint group = GroupKSupportNormBall.ofFraction(groupFraction);
      return SfwTrainer.builder().constraint(group)
          .denseConstraint(dense == DenseKernels.L2 ? L2Ball.create() : group).tau(tau)
          .learningRate(1.0).momentum(0.9).epochs(epochs).batchSize(Budget.BATCH_SIZE).seed(seed)
          .batchNormRecalibration(0).build();
    }
  }

  /** How a trained network is cut: the filter ranking and the fine-tune steps after it. */
  record Cut(SelectionMethod selection, long fineTuneSteps) {
    /** Checks the range of the steps. */
    Cut {
      Require.inClosed("--fine-tune-steps", fineTuneSteps, 0, 100_000);
    }

    String label() {
      return Labels.of(selection);
    }
  }

  /** Every (selection, fine-tune steps) pair of the options, checked. */
  List<Cut> cuts() {
    List<Cut> cuts = new ArrayList<>();
    for (String label : selections) {
      SelectionMethod m = Labels.parse(SelectionMethod.values(), "selection", label);
      if (m == SelectionMethod.BN_SCALE) {
        // The pruner would refuse it too, but only after the network has trained.
        study.network.network().requireBatchNorm("bn-scale selection");
      }
      fineTuneSteps.forEach(steps -> cuts.add(new Cut(m, steps)));
    }
    return cuts;
  }

  /**
   * Trains one network ({@code recipe} null: SGD with momentum), then cuts a copy per target and
   * cut.
   */
  void run(ExperimentData split, long seed, Recipe recipe, List<Cut> cuts,
      Consumer<FilterRow> sink) {
    int recalibration = study.recalibrationBatches();
    try (Cnn model = Budget.model(study.network.network(), seed, study.threads.threads())) {
      if (recipe == null) {
        model.fit(split.train(), Budget.sgdMomentum(Budget.steps(split, study.epochs,
            Budget.BATCH_SIZE), Budget.BATCH_SIZE, seed));
      } else {
        recipe.trainer(study.epochs, seed).fit(model, split.train());
      }
      String method = Labels.of(recipe == null ? Method.SGD_MOMENTUM : Method.SFW_GROUP);
      double f = recipe == null ? Double.NaN : recipe.groupFraction();
      double tau = recipe == null ? Double.NaN : recipe.tau();
      String d = recipe == null ? "" : Labels.of(recipe.dense());
      double denseValidation = model.evaluate(split.validation()).accuracy();
      double denseTest = model.evaluate(split.test()).accuracy();
      for (Cut cut : cuts) {
        // One dense row per cut, so that each cut's variant has its own dense column.
        sink.accept(new FilterRow(method, seed, f, tau, d, 1, 1, 1, denseValidation, denseTest,
            cut.label(), cut.fineTuneSteps()));
        for (double target : flops) {
          try (StructuredResult r = StructuredPruner.builder().selection(cut.selection())
              .keep(KeepRule.uniformFlops(target)).fineTuneSteps(cut.fineTuneSteps()).seed(seed)
              .batchNormRecalibration(0).build()
              .prune(model, split.train())) {
            if (recalibration > 0) {
              // Cutting filters shifts what the later BatchNorms see (docs/sfw.md, "ResNet-20").
              r.model().recalibrateBatchNorm(split.train(), recalibration);
            }
            sink.accept(new FilterRow(method, seed, f, tau, d, target,
                (double) r.flopsAfter() / r.flopsBefore(),
                (double) r.parametersAfter() / r.parametersBefore(),
                r.model().evaluate(split.validation()).accuracy(),
                r.model().evaluate(split.test()).accuracy(), cut.label(), cut.fineTuneSteps()));
          }
        }
      }
    }
  }
}
