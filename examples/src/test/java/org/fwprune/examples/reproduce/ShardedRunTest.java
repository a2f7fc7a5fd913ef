package org.fwprune.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fwprune.examples.study.ClusterShard;
import org.fwprune.examples.study.Json;
import org.fwprune.examples.study.Shard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grid run as a cluster would run it, one shard per task with the index from the scheduler's
 * environment, then merged, gives the single-machine run's results: every row's measured values
 * (all but the four timing columns, which are wall times) and the learning rates chosen, which
 * each shard tunes only for the methods of its own cells.
 */
class ShardedRunTest {

  private static final Method[] METHODS = {Method.DENSE, Method.ONE_SHOT, Method.FW};
  private static final ProgressListener SILENT = new ProgressListener() {};

  @TempDir
  static Path dir;

  private static Path single;

  @BeforeAll
  static void runOnOneMachine() throws IOException {
    single = dir.resolve("single");
    run(TinyExperiment.config(METHODS).build(), single);
  }

  private static void run(ReproduceConfig config, Path out) throws IOException {
    new Reproduction(config, TinyExperiment.data(), TinyExperiment.models(), SILENT).run(out);
  }

  /** Runs one shard per environment, each in its own folder, and merges them. */
  private static Path shardAndMerge(String name, List<Map<String, String>> tasks)
      throws IOException {
    List<Path> folders = new ArrayList<>();
    for (Map<String, String> env : tasks) {
      Shard shard = ClusterShard.fromEnvironment(null, env).orElseThrow().shard();
      Path folder = dir.resolve(name + "-" + shard.index());
      run(TinyExperiment.config(METHODS).shard(shard).build(), folder);
      folders.add(folder);
    }
    Path merged = dir.resolve(name + "-merged");
    Merge.merge(folders, merged);
    return merged;
  }

  /** Each row's cell and measured values, timing columns left out, in grid order. */
  private static List<String> measuredValues(Path folder) throws IOException {
    return new ResultsFolder(folder).rows().stream()
        .sorted(java.util.Comparator.comparingInt((CellResult r) -> r.cell().pretrainEpochs())
            .thenComparingInt(r -> r.cell().seed()).thenComparing(r -> r.cell().method()))
        .map(r -> r.cell() + " " + r.testAccuracy() + " " + r.testLoss() + " "
            + r.nonzeroFraction() + " " + r.gradientEvaluations() + " " + r.flopsPerExample())
        .toList();
  }

  private static Map<String, Double> chosenRates(Path folder) throws IOException {
    return new ResultsFolder(folder).runInfo().orElseThrow().tuning().chosen();
  }

  private static void assertSameResults(Path merged) throws IOException {
    assertEquals(measuredValues(single), measuredValues(merged));
    assertEquals(chosenRates(single), chosenRates(merged));
    JsonNode report = Json.mapper().readTree(merged.resolve(ResultsFolder.RESULTS_JSON).toFile());
    assertEquals(0, report.get("conflicting_tunings").size(), report.toString());
  }

  @Test
  void slurmJobArray_mergedShards_equalTheSingleMachineRun() throws IOException {
    List<Map<String, String>> tasks = new ArrayList<>();
    for (int id = 0; id < 3; id++) {
      tasks.add(Map.of("SLURM_ARRAY_TASK_ID", Integer.toString(id), "SLURM_ARRAY_TASK_COUNT",
          "3", "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_MAX", "2"));
    }
    assertSameResults(shardAndMerge("slurm", tasks));
  }

  @Test
  void kubernetesIndexedJob_mergedShards_equalTheSingleMachineRun() throws IOException {
    List<Map<String, String>> tasks = new ArrayList<>();
    for (int index = 0; index < 4; index++) {
      tasks.add(Map.of("JOB_COMPLETION_INDEX", Integer.toString(index), "FWPRUNE_SHARD_COUNT",
          "4"));
    }
    assertSameResults(shardAndMerge("k8s", tasks));
  }
}
