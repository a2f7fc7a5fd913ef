package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.fwprune.core.Cnn;
import org.fwprune.core.model.Architecture;
import org.fwprune.examples.study.GridRunner;
import org.fwprune.examples.study.Shard;

/**
 * Runs the paper's experiment ({@link ReproduceStudy}) into a results folder: checks that the
 * folder is new or, when resuming, that it holds results of the same settings; lets the {@link
 * GridRunner} run the cells of the configuration's {@link Shard} that {@code results.csv} does
 * not hold yet, keeping that file current after every cell; keeps {@code run.json} current with
 * the chosen learning rates; and at the end rewrites the reports from the rows. {@link Merge}
 * combines the folders of several shards.
 *
 * <p>Data and network are injected ({@link ExperimentData}, {@link ModelFactory}), so the same
 * code runs MNIST with the paper's network and tiny synthetic data in tests.
 */
public final class Reproduction {

  private final ReproduceConfig config;
  private final ExperimentData data;
  private final ModelFactory factory;
  private final ProgressListener listener;

  /**
   * A reproduction of {@code config} on {@code data} with networks from {@code factory}.
   *
   * @param listener told about progress; {@code new ProgressListener() {}} for none
   */
  public Reproduction(ReproduceConfig config, ExperimentData data, ModelFactory factory,
      ProgressListener listener) {
    checkArgument(config != null && data != null && factory != null && listener != null,
        "config, data, factory and listener must not be null");
    this.config = config;
    this.data = data;
    this.factory = factory;
    this.listener = listener;
  }

  /**
   * What a run did.
   *
   * @param cellsRun cells computed by this run
   * @param cellsSkipped cells of this run's shard already in the folder
   * @param tuning the chosen learning rates (null if no method needed one)
   * @param rows every row of the folder's {@code results.csv} after the run
   * @param report the report written to {@code results.json}
   */
  public record Outcome(int cellsRun, int cellsSkipped, Tuning tuning, List<CellResult> rows,
      Reports.Report report) {}

  /**
   * Runs the cells of this configuration's shard that {@code out} does not hold yet, writing
   * their rows to {@code out/results.csv}, then rewrites the reports.
   *
   * @throws IncompatibleResultsException if {@code out} already holds results and resuming was
   *     not asked for, or they were made with other settings
   * @throws IOException if a file cannot be read or written
   */
  public Outcome run(Path out) throws IOException {
    Files.createDirectories(out);
    ResultsFolder folder = new ResultsFolder(out);
    ExperimentSettings settings = ExperimentSettings.of(config, data, architecture());
    Optional<RunInfo> previous = checkFolder(folder, settings);
    Set<Cell> done = folder.rows().stream().map(CellResult::cell).collect(Collectors.toSet());
    List<Cell> all = config.cells();
    int mine = 0;
    int skipped = 0;
    for (int i = 0; i < all.size(); i++) {
      if (config.shard().contains(i)) {
        mine++;
        skipped += done.contains(all.get(i)) ? 1 : 0;
      }
    }
    RunInfo[] info = {new RunInfo(settings, RunInfo.Plan.of(config),
        previous.map(RunInfo::tuning).orElse(null), MachineInfo.current())};
    folder.writeRunInfo(info[0]);
    List<CellResult> rows;
    Tuning tuning;
    try (ReproduceStudy study = new ReproduceStudy(config, data, factory, info[0].tuning(),
        listener, chosen -> {
          info[0] = info[0].withTuning(chosen);
          writeRunInfo(folder, info[0]);
        })) {
      rows = GridRunner.run(study, config.shard(), Optional.of(folder.csv()), row -> {});
      tuning = study.tuning();
    }
    Reports.Report report = Reports.write(folder, rows, List.of(info[0]));
    listener.onFinish();
    return new Outcome(mine - skipped, skipped, tuning, rows, report);
  }

  private static void writeRunInfo(ResultsFolder folder, RunInfo info) {
    try {
      folder.writeRunInfo(info);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Architecture architecture() {
    try (Cnn probe = factory.create(0)) {
      return probe.architecture();
    }
  }

  private Optional<RunInfo> checkFolder(ResultsFolder folder, ExperimentSettings settings)
      throws IOException {
    List<CellResult> rows = folder.rows();
    Optional<RunInfo> previous = folder.runInfo();
    if (!config.resume()) {
      if (!rows.isEmpty() || previous.isPresent()) {
        throw new IncompatibleResultsException(folder.dir() + " already holds a run ("
            + rows.size() + " results); pass --resume to continue it, or choose another"
            + " output folder");
      }
      return Optional.empty();
    }
    if (previous.isEmpty()) {
      if (!rows.isEmpty()) {
        throw new IncompatibleResultsException(folder.dir() + " holds " + rows.size()
            + " results but no " + ResultsFolder.RUN_FILE + ", so their settings are unknown;"
            + " choose another output folder");
      }
      return Optional.empty();
    }
    List<String> differences = previous.get().settings().differences(settings);
    if (!differences.isEmpty()) {
      throw new IncompatibleResultsException(folder.dir() + " holds results made with other"
          + " settings (" + String.join("; ", differences) + "); choose another output folder");
    }
    return previous;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("config", config)
        .add("data", data.describe())
        .toString();
  }
}
