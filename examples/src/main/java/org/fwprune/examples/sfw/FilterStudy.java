package org.fwprune.examples.sfw;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.fwprune.core.model.Cnn;
import org.fwprune.examples.cli.DataOptions;
import org.fwprune.examples.cli.UsageErrors;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.pruning.constraints.Constraint;
import org.fwprune.pruning.constraints.GroupKSupportNormBall;
import org.fwprune.pruning.constraints.L2Ball;
import org.fwprune.pruning.sfw.SfwTrainer;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.SelectionMethod;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The structured variant of docs/sfw.md on the paper CNN or ResNet-20 ({@code --network}): SFW
 * with a group K-support ball over each conv kernel's filters (Zimmer, Spiegel and Pokutta 2022), then {@code StructuredPruner}
 * with L1 selection at each FLOPs target and no fine-tune (with {@code --bn-recalibration N}, the
 * BatchNorm statistics re-estimated after each cut); against SGD with momentum for the same
 * gradients, pruned the same way. Every (K fraction, tau, dense constraint) combination is one
 * SFW variant, so a grid on one seed is the validation screen. Prints one CSV line per
 * measurement as it is made and, with {@code --out}, writes them to a file at the end.
 */
@Command(name = "sfw-filter-study", mixinStandardHelpOptions = true,
    description = "Structured variant: SFW in a group K-support ball, filters removed by L1 norm"
        + " at equal FLOPs without fine-tuning, vs SGD with momentum (docs/sfw.md).")
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
  DataOptions data = new DataOptions();

  @Mixin
  StudyOptions study = new StudyOptions();

  @Option(names = "--methods", split = ",", defaultValue = "sfw-group,sgd-momentum",
      description = "sfw-group, sgd-momentum (default ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(names = "--group-fractions", split = ",", defaultValue = "0.25",
      description = "K as a fraction of each layer's filters (default ${DEFAULT-VALUE}).")
  List<Double> groupFractions;

  @Option(names = "--taus", split = ",", defaultValue = "15",
      description = "Radius multipliers (default ${DEFAULT-VALUE}).")
  List<Double> taus;

  @Option(names = "--dense", split = ",", defaultValue = "l2",
      description = "Constraint of the dense kernels: l2 (as the reference code) or group"
          + " (default ${DEFAULT-VALUE}).")
  List<String> dense;

  @Option(names = "--flops", split = ",", defaultValue = "0.5,0.25",
      description = "KeepRule.flops targets (default ${DEFAULT-VALUE}).")
  List<Double> flops;

  @Option(names = "--epochs", defaultValue = "2",
      description = "Passes over the training data (default ${DEFAULT-VALUE}).")
  int epochs;

  /** Runs the study from the command line. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new FilterStudy()).execute(args));
  }

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
    ExperimentData split = ExperimentData.mnist(data.load());
    System.out.println(FilterRow.CSV_HEADER);
    List<FilterRow> rows = new ArrayList<>();
    Consumer<FilterRow> sink = r -> {
      rows.add(r);
      System.out.println(r.csv());
      System.out.flush();
    };
    for (long seed : study.seeds.seeds()) {
      for (Method m : methodList) {
        if (m == Method.SGD_MOMENTUM) {
          run(split, seed, null, sink);
          continue;
        }
        for (double f : groupFractions) {
          for (double tau : taus) {
            for (DenseKernels d : denseList) {
              run(split, seed, new Recipe(f, tau, d), sink);
            }
          }
        }
      }
    }
    study.writeCsv(FilterRow.CSV_HEADER, rows, FilterRow::csv);
    return 0;
  }

  /** An SFW variant: K fraction, tau and the dense kernels' constraint. */
  record Recipe(double groupFraction, double tau, DenseKernels dense) {
    SfwTrainer trainer(int epochs, long seed) {
      Constraint group = GroupKSupportNormBall.ofFraction(groupFraction);
      return SfwTrainer.builder().constraint(group)
          .denseConstraint(dense == DenseKernels.L2 ? L2Ball.create() : group).tau(tau)
          .learningRate(1.0).momentum(0.9).epochs(epochs).batchSize(Budget.BATCH_SIZE).seed(seed)
          .build();
    }
  }

  /** Trains one network ({@code recipe} null: SGD with momentum), then prunes it per target. */
  void run(ExperimentData split, long seed, Recipe recipe, Consumer<FilterRow> sink) {
    int recalibration = study.recalibrationBatches();
    try (Cnn model = Budget.model(study.network.network(), seed, study.threads)) {
      if (recipe == null) {
        model.fit(split.train(), Budget.sgdMomentum(Budget.steps(split, epochs,
            Budget.BATCH_SIZE), Budget.BATCH_SIZE, seed));
      } else {
        recipe.trainer(epochs, seed).fit(model, split.train());
      }
      String method = Labels.of(recipe == null ? Method.SGD_MOMENTUM : Method.SFW_GROUP);
      double f = recipe == null ? Double.NaN : recipe.groupFraction();
      double tau = recipe == null ? Double.NaN : recipe.tau();
      String d = recipe == null ? "" : Labels.of(recipe.dense());
      sink.accept(new FilterRow(method, seed, f, tau, d, 1, 1, 1,
          model.evaluate(split.validation()).accuracy(), model.evaluate(split.test()).accuracy()));
      for (double target : flops) {
        try (StructuredResult r = StructuredPruner.builder().selection(SelectionMethod.L1_NORM)
            .keep(KeepRule.flops(target)).fineTuneSteps(0).seed(seed).build()
            .prune(model, split.train())) {
          if (recalibration > 0) {
            // Cutting filters shifts what the later BatchNorms see (docs/sfw.md, "ResNet-20").
            r.model().recalibrateBatchNorm(split.train(), recalibration);
          }
          sink.accept(new FilterRow(method, seed, f, tau, d, target,
              (double) r.flopsAfter() / r.flopsBefore(),
              (double) r.parametersAfter() / r.parametersBefore(),
              r.model().evaluate(split.validation()).accuracy(),
              r.model().evaluate(split.test()).accuracy()));
        }
      }
    }
  }
}
