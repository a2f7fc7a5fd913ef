package org.fwprune.examples.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shard a SLURM job array or a Kubernetes Indexed Job assigns through the environment. */
class ClusterShardTest {

  /** {@code "A=1 B=2"} as a map; an empty text is an empty environment. */
  private static Map<String, String> env(String assignments) {
    Map<String, String> m = new HashMap<>();
    for (String pair : assignments.trim().split("\\s+")) {
      if (!pair.isEmpty()) {
        String[] kv = pair.split("=", 2);
        m.put(kv[0], kv[1]);
      }
    }
    return m;
  }

  private static Integer count(String text) {
    return text == null || text.isBlank() ? null : Integer.valueOf(text.trim());
  }

  @ParameterizedTest(name = "{0} --shard-count {1} -> {2}")
  @CsvSource(delimiter = ';', value = {
      "SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=3;;"
          + " 1/4",
      "SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=3;;"
          + " 4/4",
      "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=3;; 3/3",
      // Re-running tasks 1 and 2 of a 4-task array: the count comes from --shard-count.
      "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=2 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=2;"
          + " 4; 3/4",
      "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 FWPRUNE_SHARD_COUNT=5;; 2/5",
      "JOB_COMPLETION_INDEX=0; 3; 1/3",
      "JOB_COMPLETION_INDEX=2 FWPRUNE_SHARD_COUNT=3;; 3/3",
      "JOB_COMPLETION_INDEX=2 FWPRUNE_SHARD_COUNT=3; 3; 3/3"})
  void fromEnvironment_consistentValues_giveTheOneBasedShard(String environment, String shardCount,
      String expected) {
    Optional<ClusterShard.Assignment> a = ClusterShard.fromEnvironment(count(shardCount),
        env(environment));
    assertEquals(expected, a.orElseThrow().shard().toString());
  }

  @Test
  void fromEnvironment_noSchedulerAndNoCount_isTheWholeGrid() {
    assertEquals(Optional.empty(), ClusterShard.fromEnvironment(null, env("HOME=/root")));
  }

  @Test
  void fromEnvironment_namesTheVariablesItUsed() {
    ClusterShard.Assignment a = ClusterShard.fromEnvironment(null,
        env("SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=4")).orElseThrow();
    assertEquals("SLURM_ARRAY_TASK_ID=1, SLURM_ARRAY_TASK_COUNT=4", a.source());
  }

  @ParameterizedTest(name = "{0} --shard-count {1}")
  @CsvSource(delimiter = ';', value = {
      "SLURM_ARRAY_TASK_ID=1 JOB_COMPLETION_INDEX=1; 2; both SLURM_ARRAY_TASK_ID=1 and"
          + " JOB_COMPLETION_INDEX=1 are set",
      "HOME=/root; 4; --shard-count 4 needs a shard index",
      "FWPRUNE_SHARD_COUNT=4;; FWPRUNE_SHARD_COUNT=4 needs a shard index",
      "JOB_COMPLETION_INDEX=1;; JOB_COMPLETION_INDEX=1 is set but the shard count is not",
      "JOB_COMPLETION_INDEX=3; 3; JOB_COMPLETION_INDEX=3 is outside the 3 shards",
      "JOB_COMPLETION_INDEX=-1; 3; JOB_COMPLETION_INDEX must be a whole number >= 0, got '-1'",
      "JOB_COMPLETION_INDEX=x; 3; JOB_COMPLETION_INDEX must be a whole number >= 0, got 'x'",
      "JOB_COMPLETION_INDEX=0 FWPRUNE_SHARD_COUNT=0;; FWPRUNE_SHARD_COUNT must be a whole number"
          + " >= 1, got '0'",
      "JOB_COMPLETION_INDEX=0 FWPRUNE_SHARD_COUNT=3; 4; --shard-count 4 and FWPRUNE_SHARD_COUNT=3"
          + " disagree",
      "JOB_COMPLETION_INDEX=0; 20000; shard count must be in [1, 10000], got 20000",
      "SLURM_ARRAY_TASK_ID=4;; SLURM_ARRAY_TASK_ID=4 is set but SLURM_ARRAY_TASK_COUNT is not",
      "SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=1"
          + " SLURM_ARRAY_TASK_MAX=4;; need --array=0-3 for its 4 tasks",
      "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=0"
          + " SLURM_ARRAY_TASK_MAX=7;; need --array=0-3 for its 4 tasks",
      "SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_COUNT=4;; SLURM_ARRAY_TASK_ID=4 is outside the 4"
          + " shards",
      "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=6 SLURM_ARRAY_TASK_MIN=0"
          + " SLURM_ARRAY_TASK_MAX=5; 4; the job array reaches SLURM_ARRAY_TASK_MAX=5 but"
          + " --shard-count 4"})
  void fromEnvironment_inconsistentValues_areRefusedNamingThem(String environment,
      String shardCount, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterShard.fromEnvironment(count(shardCount), env(environment)));
    assertTrue(e.getMessage().contains(message.trim()), e.getMessage());
  }
}
