package org.fwprune.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fwprune.examples.reproduce.IncompatibleResultsException;
import org.fwprune.examples.reproduce.Merge;
import org.fwprune.examples.reproduce.ResultsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Combines the results folders of 'reproduce --shard' runs into one. */
@Command(name = "merge", resourceBundle = "org.fwprune.examples.cli.MergeCommand",
    mixinStandardHelpOptions = true,
    description = "Combine the results folders of 'fwprune reproduce --shard K/N' runs (same"
        + " settings) into one folder and write its results.json, summary.md and charts.")
final class MergeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", required = true)
  Path out;

  @Mixin
  ResultsFolders shards = new ResultsFolders();

  @Override
  public Integer call() throws Exception {
    List<Path> sources = shards.folders();
    try {
      Merge.Outcome outcome = Merge.merge(sources, out);
      System.out.printf("merged %d rows from %d folders into %s%n%n", outcome.rows().size(),
          sources.size(), out);
      System.out.print(Files.readString(out.resolve(ResultsFolder.SUMMARY_FILE)));
    } catch (IncompatibleResultsException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return 0;
  }
}
