package org.fwprune.examples.compare;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.fwprune.examples.reproduce.CellResult;
import org.fwprune.examples.reproduce.Method;
import org.fwprune.examples.reproduce.ResultsFolder;
import org.fwprune.examples.reproduce.RunInfo;
import org.fwprune.examples.reproduce.Tuning;

/**
 * One finished {@code reproduce} folder of a study: its target sparsity, fine-tune budget, rows
 * and learning-rate tuning.
 *
 * @param dir the folder
 * @param sparsity the target sparsity every pruning method reached
 * @param fineTuneSteps the gradient budget of every method
 * @param pruningFraction the share of the budget over which the gradual pruners raise the
 *     sparsity
 * @param rows one row per (method, checkpoint, seed)
 * @param tuning the learning rates tried and chosen on validation
 */
public record StudyRun(Path dir, double sparsity, long fineTuneSteps, double pruningFraction,
    List<CellResult> rows, Tuning tuning) {

  /** Copies the rows. */
  public StudyRun {
    rows = ImmutableList.copyOf(rows);
  }

  /**
   * Reads {@code dir}.
   *
   * @throws IOException if the folder cannot be read
   * @throws IllegalArgumentException if it holds no run.json or no rows
   */
  public static StudyRun load(Path dir) throws IOException {
    ResultsFolder folder = new ResultsFolder(dir);
    Optional<RunInfo> info = folder.runInfo();
    checkArgument(info.isPresent(), "%s holds no %s: not a reproduce results folder", dir,
        ResultsFolder.RUN_FILE);
    List<CellResult> rows = folder.rows();
    checkArgument(!rows.isEmpty(), "%s holds no results", dir);
    return new StudyRun(dir, info.get().settings().targetSparsity(),
        info.get().settings().fineTuneSteps(), info.get().settings().pruningFraction(), rows,
        info.get().tuning());
  }

  /** The setting shared by the folders one table compares: budget and pruning fraction. */
  public String protocol() {
    return String.format(java.util.Locale.ROOT, "budget %d gradients, pruning over %.0f%% of it",
        fineTuneSteps, 100 * pruningFraction);
  }

  /** The test accuracy of {@code method} at {@code checkpoint} and {@code seed}, if run. */
  public OptionalDouble accuracy(Method method, int checkpoint, int seed) {
    return rows.stream()
        .filter(r -> r.cell().method() == method && r.cell().pretrainEpochs() == checkpoint
            && r.cell().seed() == seed)
        .mapToDouble(CellResult::testAccuracy).findFirst();
  }
}
