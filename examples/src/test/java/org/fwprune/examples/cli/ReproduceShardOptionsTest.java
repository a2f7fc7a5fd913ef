package org.fwprune.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.fwprune.examples.reproduce.ReproduceConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** How 'reproduce' chooses its shard: --shard, else the cluster scheduler's environment. */
class ReproduceShardOptionsTest {

  private static final String[] GRID = {"--budgets", "1,2", "--seeds", "2", "--methods",
      "dense,one-shot"};

  /** The configuration of {@code args} with {@code environment} as the process's. */
  private static ReproduceConfig config(Map<String, String> environment, String... args) {
    ReproduceCommand command = new ReproduceCommand();
    command.shard.environment = environment;
    String[] all = new String[GRID.length + args.length];
    System.arraycopy(GRID, 0, all, 0, GRID.length);
    System.arraycopy(args, 0, all, GRID.length, args.length);
    new CommandLine(command).parseArgs(all);
    return command.config();
  }

  @Test
  void noShardOption_slurmArrayTask_runsItsShard() {
    assertEquals("2/4", config(Map.of("SLURM_ARRAY_TASK_ID", "1",
        "SLURM_ARRAY_TASK_COUNT", "4")).shard().toString());
  }

  @Test
  void noShardOption_kubernetesIndexWithShardCount_runsItsShard() {
    assertEquals("4/4", config(Map.of("JOB_COMPLETION_INDEX", "3"), "--shard-count", "4")
        .shard().toString());
  }

  @Test
  void shardOption_winsOverTheEnvironment() {
    assertEquals("1/2", config(Map.of("SLURM_ARRAY_TASK_ID", "1",
        "SLURM_ARRAY_TASK_COUNT", "4"), "--shard", "1/2").shard().toString());
  }

  @Test
  void noShardOptionAndNoScheduler_runsTheWholeGrid() {
    assertEquals("1/1", config(Map.of()).shard().toString());
  }

  @Test
  void kubernetesIndexWithoutCount_isAUsageErrorNamingTheVariable() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> config(Map.of("JOB_COMPLETION_INDEX", "0")));
    assertTrue(e.getMessage().contains("FWPRUNE_SHARD_COUNT"), e.getMessage());
  }

  @Test
  void moreShardsThanCells_isAUsageError() {
    // 2 budgets x 2 seeds x 2 methods = 8 cells.
    ParameterException e = assertThrows(ParameterException.class,
        () -> config(Map.of("JOB_COMPLETION_INDEX", "0"), "--shard-count", "9"));
    assertTrue(e.getMessage().contains("exceeds the 8 cells"), e.getMessage());
  }
}
