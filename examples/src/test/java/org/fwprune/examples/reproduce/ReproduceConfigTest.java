package org.fwprune.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.examples.study.Shard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration's checks, defaults, preset and cell order. */
class ReproduceConfigTest {

  static Stream<Arguments> badSettings() {
    return Stream.<Arguments>of(
        Arguments.of("budgets empty", (Consumer<ReproduceConfig.Builder>) b -> b.budgets(List.of())),
        Arguments.of("budget 0", (Consumer<ReproduceConfig.Builder>) b -> b.budgets(List.of(0))),
        Arguments.of("budget 1001", (Consumer<ReproduceConfig.Builder>) b -> b.budgets(List.of(1001))),
        Arguments.of("methods empty", (Consumer<ReproduceConfig.Builder>) b -> b.methods(List.of())),
        Arguments.of("seeds 0", (Consumer<ReproduceConfig.Builder>) b -> b.seeds(0)),
        Arguments.of("target 1", (Consumer<ReproduceConfig.Builder>) b -> b.targetSparsity(1)),
        Arguments.of("steps 0", (Consumer<ReproduceConfig.Builder>) b -> b.fineTuneSteps(0)),
        Arguments.of("pruning fraction 1.5",
            (Consumer<ReproduceConfig.Builder>) b -> b.pruningFraction(1.5)),
        Arguments.of("lr 0", (Consumer<ReproduceConfig.Builder>) b -> b.lrGrid(List.of(0.0))),
        Arguments.of("lr 11", (Consumer<ReproduceConfig.Builder>) b -> b.lrGrid(List.of(11.0))),
        Arguments.of("lr grid empty", (Consumer<ReproduceConfig.Builder>) b -> b.lrGrid(List.of())),
        Arguments.of("tune budget 0", (Consumer<ReproduceConfig.Builder>) b -> b.tuneBudget(0)),
        Arguments.of("batch 0", (Consumer<ReproduceConfig.Builder>) b -> b.batchSize(0)),
        Arguments.of("momentum 1", (Consumer<ReproduceConfig.Builder>) b -> b.fineTuneMomentum(1)),
        Arguments.of("pre-train lr 0",
            (Consumer<ReproduceConfig.Builder>) b -> b.pretrainLearningRate(0)),
        Arguments.of("recalibration -1",
            (Consumer<ReproduceConfig.Builder>) b -> b.batchNormRecalibration(-1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void setter_outOfRange_throws(String name, Consumer<ReproduceConfig.Builder> setter) {
    assertThrows(IllegalArgumentException.class, () -> setter.accept(ReproduceConfig.builder()));
  }

  @Test
  void settings_withoutPruningFraction_readAsTheDefault() {
    ExperimentSettings old = new ExperimentSettings(0.9, 430, List.of(0.1), 2, 128, 0.05, 0.9,
        "m", "d", null, null, null, null);
    ExperimentSettings explicit = new ExperimentSettings(0.9, 430, List.of(0.1), 2, 128, 0.05,
        0.9, "m", "d", 0.6, 0.0, "constant", 0);
    ExperimentSettings other = new ExperimentSettings(0.9, 430, List.of(0.1), 2, 128, 0.05, 0.9,
        "m", "d", 0.8, 0.9, LearningRateSchedule.stepDecay(0.1, 0.5).toString(), 50);
    assertEquals(List.of(), old.differences(explicit));
    assertEquals(List.of("pruning fraction: 0.6 vs 0.8", "pre-training momentum: 0.0 vs 0.9",
        "fine-tune learning-rate schedule: constant vs stepDecay(factor=0.1, at=[0.5])",
        "BatchNorm recalibration batches: 0 vs 50"), old.differences(other));
  }

  @Test
  void build_moreShardsThanCells_throws() {
    ReproduceConfig.Builder b = ReproduceConfig.builder().budgets(List.of(1)).seeds(1)
        .methods(List.of(Method.DENSE)).shard(new Shard(1, 2));
    assertThrows(IllegalStateException.class, b::build);
  }

  @Test
  void defaults_areTheReferenceProtocol() {
    ReproduceConfig c = ReproduceConfig.builder().build();
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), c.budgets());
    assertEquals(3, c.seeds());
    assertEquals(0.9, c.targetSparsity());
    assertEquals(430, c.fineTuneSteps());
    assertEquals(List.of(0.01, 0.03, 0.1, 0.3), c.lrGrid());
    assertEquals(2, c.tuneBudget());
    assertEquals(List.of(Method.DENSE, Method.DENSE_TRAINED_ON, Method.ONE_SHOT,
        Method.GRADUAL_MAGNITUDE, Method.FW, Method.FW_MOMENTUM), c.methods());
    assertTrue(c.methods().stream().noneMatch(Method::isStructured),
        "the structured methods run only when asked for");
    assertEquals(Shard.ALL, c.shard());
  }

  @Test
  void quick_setsBudgetsSeedAndGrid_andLaterSettersOverrideIt() {
    ReproduceConfig quick = ReproduceConfig.builder().quick().build();
    assertEquals(List.of(1, 2, 5, 10), quick.budgets());
    assertEquals(1, quick.seeds());
    assertEquals(List.of(0.01, 0.1), quick.lrGrid());
    assertTrue(quick.quick());
    assertEquals(2, ReproduceConfig.builder().quick().seeds(2).build().seeds());
  }

  @Test
  void lists_areSortedAndWithoutRepeats() {
    ReproduceConfig c = ReproduceConfig.builder().budgets(List.of(5, 1, 5))
        .methods(List.of(Method.FW, Method.DENSE, Method.FW)).lrGrid(List.of(0.1, 0.01)).build();
    assertEquals(List.of(1, 5), c.budgets());
    assertEquals(List.of(Method.DENSE, Method.FW), c.methods());
    assertEquals(List.of(0.01, 0.1), c.lrGrid());
  }

  @Test
  void cells_areOrderedByBudgetThenSeedThenMethod() {
    List<Cell> cells = ReproduceConfig.builder().budgets(List.of(1, 2)).seeds(2)
        .methods(List.of(Method.DENSE, Method.FW)).targetSparsity(0.8).build().cells();
    assertEquals(List.of(
        new Cell(Method.DENSE, 1, 0, 0.8), new Cell(Method.FW, 1, 0, 0.8),
        new Cell(Method.DENSE, 1, 1, 0.8), new Cell(Method.FW, 1, 1, 0.8),
        new Cell(Method.DENSE, 2, 0, 0.8), new Cell(Method.FW, 2, 0, 0.8),
        new Cell(Method.DENSE, 2, 1, 0.8), new Cell(Method.FW, 2, 1, 0.8)), cells);
  }

  @Test
  void shard_parse_readsKOverN() {
    assertEquals(new Shard(2, 4), Shard.parse("2/4"));
    assertEquals("2/4", Shard.parse(" 2/4 ").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2", "0/2", "3/2", "1/0", "a/b", "1/2/3", "-1/2", "1/100000"})
  void shard_parse_malformedOrOutOfRange_throws(String text) {
    assertThrows(IllegalArgumentException.class, () -> Shard.parse(text));
  }

  @Test
  void shards_partitionEveryPosition() {
    int n = 3;
    for (int position = 0; position < 20; position++) {
      int owners = 0;
      for (int k = 1; k <= n; k++) {
        owners += new Shard(k, n).contains(position) ? 1 : 0;
      }
      assertEquals(1, owners, "position " + position);
    }
  }

  @Test
  void method_fromId_roundTripsAndRejectsUnknownNames() {
    for (Method m : Method.values()) {
      assertEquals(m, Method.fromId(m.id()));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Method.fromId("magnitude"));
    assertTrue(e.getMessage().contains("fw-momentum"), e.getMessage());
  }
}
