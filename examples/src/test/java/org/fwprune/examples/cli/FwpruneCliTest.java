package org.fwprune.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.CsvSource;

/** Usage errors of the command-line tool: exit status 2, a message, the usage, no stack trace. */
class FwpruneCliTest {

  @TempDir
  static Path dir;

  /** Exit status and everything picocli printed. */
  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = FwpruneCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(status, out.toString(), err.toString());
  }

  private static void assertUsageError(Run r, String expectedText) {
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains(expectedText), r.err());
    assertTrue(r.err().contains("Usage:"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(r.err().contains("Exception"), "no exception name: " + r.err());
  }

  @ParameterizedTest(name = "reproduce {0} {1}")
  @CsvSource(delimiter = ';', value = {
      "--seeds; 0; seeds must be in [1, 1000]",
      "--seeds; many; --seeds",
      "--target-sparsity; 1.5; targetSparsity must be in [0, 1)",
      "--target-sparsity; 1; targetSparsity must be in [0, 1)",
      "--fine-tune-steps; 0; steps must be in [1",
      "--budgets; 0,2; budgets must be in [1, 1000]",
      "--budgets; 1,x; --budgets",
      "--lr-grid; 0.1,-1; learning rate must be in (0, 10]",
      "--tune-budget; 0; tune budget must be in [1, 1000]",
      "--methods; fw,magnitude; expected a method among dense, dense-trained-on",
      "--shard; 3/2; shard index must be in [1, 2]",
      "--shard; 1-2; expected a shard as K/N",
      "--threads; -1; --threads: intra-op threads must be in [0, 1024]",
      "--batch-size; 0; batchSize must be in [1, 65536]",
      "--no-such-option; 1; Unknown option"})
  void reproduce_badOption_exits2WithMessageAndUsage(String option, String value,
      String message) {
    assertUsageError(run("reproduce", option, value, "--out", dir.resolve("x").toString()),
        message);
  }

  @Test
  void reproduce_shardWithShardCount_exits2() {
    assertUsageError(run("reproduce", "--shard", "1/2", "--shard-count", "2", "--out",
        dir.resolve("x").toString()), "--shard 1/2 already gives the count");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "benchmark --against-pytorch --threads-only; --against-pytorch and --threads-only are separate modes",
      "benchmark --against-pytorch --network vgg; expected a network among [paper",
      "benchmark --network resnet20; is only timed with --against-pytorch, --against-plain-loop,",
      "benchmark --against-pytorch --chunks 0; chunks must be >= 1",
      "benchmark --against-pytorch --batch-1000-repeats 0; batch-1000 repeats must be in [1, 1000000]",
      "study structured --network vgg; expected a network among [paper",
      "reproduce --network vgg; expected a network among [paper",
      "study structured --threads -1; --threads: intra-op threads must be in [0, 1024], got -1",
      // train and memory check --network while parsing and --threads before reading any data.
      "train --network vgg; expected a network among [paper",
      "train --threads -1; --threads: intra-op threads must be in [0, 1024], got -1",
      "train --threads 1025; --threads: intra-op threads must be in [0, 1024], got 1025",
      "memory --network vgg; expected a network among [paper",
      "memory --threads -1; --threads: intra-op threads must be in [0, 1024], got -1",
      "study structured --accuracy-rule 0.98; --accuracy-rule takes FRACTION,MAX_KEEP",
      "study structured --accuracy-rule 0.98,0.5 --flops 0.5; and replaces --flops",
      "study structured --method-lr l2=0.1; unknown method 'l2'",
      "study structured --channel-multiple 0; channel multiple must be in [1, 1024], got 0",
      // The schedule is checked before any data is read.
      "train --lr-decay 0.1; --lr-decay and --lr-decay-at go together",
      "train --lr-decay-at 0.5; --lr-decay and --lr-decay-at go together",
      "train --lr-decay 2 --lr-decay-at 0.5; --lr-decay: factor must be in (0, 1), got 2.0",
      "train --lr-decay 0.1 --lr-decay-at 0.6,0.3; fractions must be strictly increasing",
      "reproduce --lr-decay 0.1; --lr-decay and --lr-decay-at go together",
      "reproduce --lr-decay 0.1 --lr-decay-at 1.5; each fraction must be in (0, 1), got 1.5",
      "reproduce --bn-recalibration 5; --bn-recalibration needs a network with BatchNorm",
      "reproduce --network resnet20 --bn-recalibration -1; batchNormRecalibration batches must be in [0, 100000] (0: off), got -1"})
  void badOptionCombination_exits2(String commandLine, String message) {
    assertUsageError(run(commandLine.split(" ")), message);
  }

  @Test
  void reproduce_moreShardsThanCells_exits2() {
    assertUsageError(run("reproduce", "--budgets", "1", "--seeds", "1", "--methods", "dense",
        "--shard", "1/2"), "exceeds the 1 cells");
  }

  @Test
  void reproduce_missingDataFolder_exits2AndSaysHowToGetMnist() {
    Run r = run("reproduce", "--quick", "--data", dir.resolve("no-mnist").toString(), "--out",
        dir.resolve("out").toString());
    assertUsageError(r, "MNIST");
    assertTrue(r.err().contains("FWPRUNE_DATA_DIR"), r.err());
  }

  @Test
  void train_missingDataFolder_exits2AndSaysHowToGetMnist() {
    assertUsageError(run("train", "--data", dir.resolve("no-mnist").toString()), "MNIST");
  }

  @Test
  void prune_denseMethod_exits2ListingTheCataloguesMethods() {
    assertUsageError(run("prune", "--model", dir.toString(), "--method", "dense", "--out",
        dir.resolve("p").toString()), "expected a pruning method among one-shot");
  }

  @Test
  void prune_missingModelFolder_exits2() {
    assertUsageError(run("prune", "--model", dir.resolve("none").toString(), "--method", "fw",
        "--out", dir.resolve("p").toString()), "is not a folder");
  }

  @Test
  void prune_targetOutOfRange_exits2() {
    assertUsageError(run("prune", "--model", dir.toString(), "--method", "fw",
        "--target-sparsity", "1", "--out", dir.resolve("p").toString()),
        "targetSparsity must be in [0, 1)");
  }

  @Test
  void prune_withoutRequiredOptions_exits2() {
    assertUsageError(run("prune", "--method", "fw"), "Missing required options");
  }

  @Test
  void evaluate_missingModelFolder_exits2() {
    assertUsageError(run("evaluate", "--model", dir.resolve("none").toString()),
        "is not a folder");
  }

  @Test
  void export_toAnExistingFolder_exits2() throws IOException {
    Path existing = Files.createDirectories(dir.resolve("existing"));
    assertUsageError(run("export", "--model", dir.toString(), "--out", existing.toString()),
        "already exists");
  }

  @Test
  void merge_ofAFolderThatIsNoResultsFolder_exits2() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertUsageError(run("merge", "--out", dir.resolve("merged").toString(), empty.toString()),
        "has no run.json");
  }

  @Test
  void merge_ofAMissingFolder_exits2() {
    assertUsageError(run("merge", "--out", dir.resolve("merged2").toString(),
        dir.resolve("missing").toString()), "is not a folder");
  }

  @Test
  void compare_ofAFolderThatIsNoResultsFolder_exits2() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty-compare"));
    assertUsageError(run("compare", empty.toString()), "holds no run.json");
  }

  @Test
  void compare_unknownBaseline_exits2() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty-compare2"));
    assertUsageError(run("compare", "--baseline", "nope", empty.toString()),
        "expected a method among");
  }

  @Test
  void help_listsEverySubcommand() {
    Run r = run("--help");
    assertEquals(0, r.status());
    for (String command : new String[] {"train", "prune", "evaluate", "export", "reproduce",
        "merge", "memory", "benchmark", "compare", "study"}) {
      assertTrue(r.out().contains(command), command);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reproduce", "sfw", "sfw-filter", "structured"})
  void studyHelp_listsEveryStudy(String study) {
    Run r = run("study", "--help");

    assertEquals(0, r.status());
    assertTrue(r.out().contains(study), r.out());
  }
}
