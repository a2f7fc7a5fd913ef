package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fwprune.core.io.AtomicFiles;
import org.fwprune.examples.study.Shard;

/**
 * Combines the results folders of shards (or of separate runs with the same settings) into one
 * folder: their rows in one {@code results.csv}, and the reports rewritten from it. Folders
 * written before the FLOPs column existed merge too; their rows keep an empty FLOPs field unless
 * another folder holds the same cell with FLOPs.
 */
public final class Merge {

  private Merge() {}

  /**
   * What a merge produced.
   *
   * @param rows the combined rows, in grid order (budget, seed, method)
   * @param report the report written to {@code results.json}
   */
  public record Outcome(List<CellResult> rows, Reports.Report report) {}

  /**
   * Merges {@code sources} into the new or empty folder {@code out}.
   *
   * @throws IncompatibleResultsException if a source lacks its run description, the sources'
   *     settings differ, one cell has different results in two sources, or {@code out} already
   *     holds results
   * @throws IOException if a file cannot be read or written
   */
  public static Outcome merge(List<Path> sources, Path out) throws IOException {
    checkArgument(sources != null && !sources.isEmpty(), "expected at least one folder to merge");
    ResultsFolder target = new ResultsFolder(out);
    if (Files.exists(target.csv()) || Files.exists(target.runFile())) {
      throw new IncompatibleResultsException(out + " already holds results; merge into a new"
          + " or empty folder");
    }
    List<RunInfo> infos = new ArrayList<>();
    Map<Cell, CellResult> rows = new LinkedHashMap<>();
    Map<Cell, Path> origin = new LinkedHashMap<>();
    for (Path source : sources) {
      ResultsFolder folder = new ResultsFolder(source);
      RunInfo info = folder.runInfo().orElseThrow(() -> new IncompatibleResultsException(
          source + " has no " + ResultsFolder.RUN_FILE + "; is it a results folder of"
              + " 'fwprune reproduce'?"));
      if (!infos.isEmpty()) {
        List<String> differences = infos.get(0).settings().differences(info.settings());
        if (!differences.isEmpty()) {
          throw new IncompatibleResultsException(sources.get(0) + " and " + source
              + " were made with different settings: " + String.join("; ", differences));
        }
      }
      infos.add(info);
      for (CellResult row : folder.rows()) {
        CellResult seen = rows.putIfAbsent(row.cell(), row);
        if (seen == null) {
          origin.put(row.cell(), source);
        } else if (!sameMeasurements(seen, row)) {
          throw new IncompatibleResultsException("cell " + row.cell() + " has different results"
              + " in " + origin.get(row.cell()) + " and " + source);
        } else if (!seen.hasFlops() && row.hasFlops()) {
          rows.put(row.cell(), row);
        }
      }
    }
    List<CellResult> merged = new ArrayList<>(rows.values());
    merged.sort(Comparator.comparingInt((CellResult r) -> r.cell().pretrainEpochs())
        .thenComparingInt(r -> r.cell().seed()).thenComparing(r -> r.cell().method()));
    StringBuilder csv = new StringBuilder(ResultsCsv.headerLine());
    merged.forEach(r -> csv.append(ResultsCsv.rowLine(r)));
    Files.createDirectories(out);
    AtomicFiles.writeString(target.csv(), csv.toString());
    target.writeRunInfo(combined(infos, merged));
    return new Outcome(merged, Reports.write(target, merged, infos));
  }

  /**
   * Whether two rows of one cell agree, as written to {@code results.csv}; a row of an older file
   * without FLOPs agrees with one that has them if every other column does.
   */
  private static boolean sameMeasurements(CellResult a, CellResult b) {
    if (a.hasFlops() != b.hasFlops()) {
      return ResultsCsv.rowLine(a.withFlops(Double.NaN))
          .equals(ResultsCsv.rowLine(b.withFlops(Double.NaN)));
    }
    return ResultsCsv.rowLine(a).equals(ResultsCsv.rowLine(b));
  }

  /** One run description for the merged folder, so that it can itself be resumed. */
  private static RunInfo combined(List<RunInfo> infos, List<CellResult> rows) {
    TreeSet<Integer> budgets = new TreeSet<>();
    TreeSet<Method> methods = new TreeSet<>();
    int seeds = 1;
    boolean quick = true;
    for (RunInfo info : infos) {
      budgets.addAll(info.plan().budgets());
      methods.addAll(info.plan().methods());
      seeds = Math.max(seeds, info.plan().seeds());
      quick &= info.plan().quick();
    }
    for (CellResult r : rows) {
      seeds = Math.max(seeds, r.cell().seed() + 1);
    }
    Tuning tuning = Tuning.union(infos.stream().map(RunInfo::tuning).toList());
    RunInfo.Plan plan = new RunInfo.Plan(List.copyOf(budgets), List.copyOf(methods), seeds,
        Shard.ALL.toString(), quick);
    return new RunInfo(infos.get(0).settings(), plan, tuning, infos.get(0).machine());
  }
}
