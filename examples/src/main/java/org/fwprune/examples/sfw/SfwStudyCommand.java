package org.fwprune.examples.sfw;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fwprune.examples.cli.UsageErrors;
import org.fwprune.examples.study.GridRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code fwprune study sfw}: the options of the any-sparsity study ({@link SfwStudy}), run by the
 * {@link GridRunner}. Prints one CSV line per measurement as it is made; with {@code --out}, the
 * file is rewritten after every cell and a rerun resumes it.
 */
@Command(name = "sfw", resourceBundle = "org.fwprune.examples.sfw.SfwStudyCommand",
    aliases = "sfw-study", mixinStandardHelpOptions = true,
    description = "Any-sparsity study: SFW once, pruned to every target without retraining, vs"
        + " SGD with momentum and per-target GMP under equal gradient budgets (docs/sfw.md)."
        + " With --out, a rerun skips the cells the file holds.")
public final class SfwStudyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  StudyOptions study = new StudyOptions();

  @Option(names = "--methods", split = ",", defaultValue = "sfw,sgd-momentum,gmp")
  List<String> methods;

  @Option(names = "--targets", split = ",", defaultValue = "0.5,0.7,0.8,0.9,0.95,0.98")
  List<Double> targets;

  @Option(names = "--fine-tune-steps", defaultValue = "86")
  long fineTuneSteps;

  @Option(names = "--pruner-lr", defaultValue = "0.1")
  double prunerLr;

  @Option(names = "--equal-budget")
  boolean equalBudget;

  /**
   * The rows of the {@code --summary} files: only those of the {@code --methods} and of the
   * {@code --targets} (dense rows always) where the option is given, all of them otherwise; with
   * {@code --equal-budget}, only those within GMP's total budget
   * ({@link StudySummary#withinGmpBudget}).
   */
  private List<StudyRow> summaryRows(List<Path> files) throws IOException {
    ParseResult given = spec.commandLine().getParseResult();
    boolean byMethod = given.hasMatchedOption("--methods");
    boolean byTarget = given.hasMatchedOption("--targets");
    List<StudyMethod> kept = methods.stream().map(StudyMethod::parse).toList();
    List<StudyRow> rows = StudySummary.read(files).stream()
        .filter(r -> !byMethod || kept.contains(r.method()))
        .filter(r -> !byTarget || r.target() == 0
            || targets.stream().anyMatch(t -> Math.abs(t - r.target()) < 1e-9))
        .toList();
    if (equalBudget) {
      rows = StudySummary.withinGmpBudget(rows);
    }
    return rows;
  }

  @Override
  public Integer call() throws IOException {
    if (study.summarize(spec, this::summaryRows, StudySummary::markdown,
        (dir, rows) -> StudySummary.writeFiles(dir, rows, equalBudget
            ? String.format(Locale.ROOT, "equal total gradients B = %,d",
                StudySummary.gmpBudget(rows))
            : ""))) {
      return 0;
    }
    SfwStudy.Settings settings = UsageErrors.check(spec, () -> new SfwStudy.Settings(
        study.epochs, Budget.BATCH_SIZE, targets, fineTuneSteps, study.seeds.seeds(),
        methods.stream().map(StudyMethod::parse).toList(), study.threads.threads(),
        study.network.network(), new SfwStudy.Pruning(prunerLr, study.recalibrationBatches())));
    study.run(new SfwStudy(study.data(), settings));
    return 0;
  }
}
