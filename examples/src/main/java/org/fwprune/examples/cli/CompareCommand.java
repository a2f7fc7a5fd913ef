package org.fwprune.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fwprune.core.io.AtomicFiles;
import org.fwprune.examples.compare.ComparisonReport;
import org.fwprune.examples.compare.StudyRun;
import org.fwprune.examples.reproduce.Method;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Compares the methods of several reproduce folders (a study) with a baseline, seed by seed. */
@Command(name = "compare", resourceBundle = "org.fwprune.examples.cli.CompareCommand",
    mixinStandardHelpOptions = true,
    description = "Compare every method of finished 'reproduce' folders (e.g. one per target"
        + " sparsity and budget) with a baseline method, paired by seed and checkpoint: tables"
        + " of test accuracy, paired differences, the learning rates chosen on validation, and"
        + " accuracy-against-sparsity charts. Prints the markdown report.")
final class CompareCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--baseline", defaultValue = "gradual-magnitude",
      converter = MethodConverter.class)
  Method baseline;

  @Option(names = "--out", paramLabel = "DIR")
  Path out;

  @Mixin
  ResultsFolders sources = new ResultsFolders();

  @Override
  public Integer call() throws Exception {
    List<StudyRun> runs = new ArrayList<>();
    for (Path source : sources.folders()) {
      runs.add(UsageErrors.check(spec, () -> StudyRun.load(source)));
    }
    ComparisonReport comparison = ComparisonReport.of(runs, baseline);
    String report = comparison.markdown();
    if (out != null) {
      Files.createDirectories(out);
      AtomicFiles.writeString(out.resolve("comparison.md"), report);
      comparison.charts(out);
    }
    System.out.print(report);
    return 0;
  }
}
