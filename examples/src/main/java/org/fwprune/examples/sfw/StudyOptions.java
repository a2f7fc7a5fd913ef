package org.fwprune.examples.sfw;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.fwprune.examples.cli.BatchNormRecalibrationOption;
import org.fwprune.examples.cli.DataOptions;
import org.fwprune.examples.cli.NetworkOption;
import org.fwprune.examples.cli.SeedsOption;
import org.fwprune.examples.cli.ShardOptions;
import org.fwprune.examples.cli.ThreadsOption;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.study.GridRunner;
import org.fwprune.examples.study.RowFormat;
import org.fwprune.examples.study.StudyRecipe;
import org.fwprune.examples.cli.UsageErrors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options both SFW studies share (a picocli mixin): the data, the network, the seeds, the epochs, the
 * shard of the grid, the threads of each model, the BatchNorm recalibration after every prune, the CSV file written at the end, and
 * {@code --summary} with {@code --charts}, which read finished files instead of training.
 */
final class StudyOptions {

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  SeedsOption seeds = new SeedsOption();

  @Mixin
  NetworkOption network = new NetworkOption();

  /** One thread per model: the studies' committed timings were measured so. */
  @Mixin
  ThreadsOption threads = new ThreadsOption(1);

  @Mixin
  BatchNormRecalibrationOption bnRecalibration = new BatchNormRecalibrationOption();

  @Option(names = "--epochs", defaultValue = "2", descriptionKey = "StudyOptions.epochs")
  int epochs;

  @Mixin
  ShardOptions shard = new ShardOptions();

  @Option(names = "--out", paramLabel = "FILE", descriptionKey = "StudyOptions.out")
  Path out;

  @Option(names = "--summary", paramLabel = "CSV", split = ",",
      descriptionKey = "StudyOptions.summary")
  List<Path> summary;

  @Option(names = "--charts", paramLabel = "DIR", descriptionKey = "StudyOptions.charts")
  Path charts;

  /**
   * The {@code --bn-recalibration} batches, checked by {@link Recalibration#check}.
   *
   * @throws IllegalArgumentException if outside [0, 100000], or not 0 for a network without
   *     BatchNorm
   */
  int recalibrationBatches() {
    return bnRecalibration.batches(network.network());
  }

  /** MNIST from {@code --data}, split into training, validation and test. */
  ExperimentData data() throws IOException {
    return ExperimentData.mnist(data.load());
  }

  /**
   * Runs {@code recipe} on the {@link GridRunner} with these options' shard and rows file,
   * printing the header, then each row as it is measured.
   */
  <C, R> void run(StudyRecipe<C, R> recipe) throws IOException {
    RowFormat<R> format = recipe.format();
    System.out.println(format.header());
    GridRunner.run(recipe, shard.shard(), Optional.ofNullable(out), row -> {
      System.out.println(format.csv(row));
      System.out.flush();
    });
  }

  /** Reads finished study CSV files. */
  @FunctionalInterface
  interface Reader<R> {
    /** The rows of {@code files}, in order. */
    List<R> read(List<Path> files) throws IOException;
  }

  /** Writes a summary's files into a folder. */
  @FunctionalInterface
  interface FilesWriter<R> {
    /** Writes the files for {@code rows} into {@code dir}; returns them. */
    List<Path> write(Path dir, List<R> rows) throws IOException;
  }

  /**
   * With {@code --summary}: prints the markdown tables of the rows the files hold and, with
   * {@code --charts}, writes the summary's files there; returns whether it did, so that the study
   * trains only when it did not.
   *
   * @throws ParameterException for {@code --charts} without {@code --summary}, or a file the
   *     reader refuses
   */
  <R> boolean summarize(CommandSpec spec, Reader<R> read, Function<List<R>, String> markdown,
      FilesWriter<R> files) throws IOException {
    if (summary == null) {
      if (charts != null) {
        throw new ParameterException(spec.commandLine(),
            "--charts writes the summary's files: give --summary CSV as well");
      }
      return false;
    }
    List<R> rows = UsageErrors.check(spec, () -> read.read(summary));
    System.out.print(markdown.apply(rows));
    if (charts != null) {
      files.write(charts, rows).forEach(f -> System.out.println("wrote " + f));
    }
    return true;
  }

}
