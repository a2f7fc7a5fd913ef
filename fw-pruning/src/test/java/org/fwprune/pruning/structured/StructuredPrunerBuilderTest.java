package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StructuredPrunerBuilderTest {

  static Stream<Arguments> badSetterArguments() {
    return Stream.of(
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.selection(null), "selection must be GREEDY_FORWARD, L1_NORM or BN_SCALE, got null"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.keep(null), "keep rule must not be null"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.candidates(0), "candidates must be in [1, 4096], got 0"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.candidates(4097), "candidates must be in [1, 4096], got 4097"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.subsampleSize(0), "subsampleSize must be in [1, 65536], got 0"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.accuracySubset(0), "accuracySubset must be in [1, 1000000], got 0"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.scaling(null), "scaling must be MASK or AVERAGE, got null"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.fineTune(null), "fineTune optimizer must not be null"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.fineTuneSteps(-1), "fineTuneSteps must be in [0, 100000000], got -1"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.fineTuneEpochs(-0.5), "fineTuneEpochs must be in [0, 10000], got -0.5"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.batchSize(0), "batchSize must be in [1, 65536], got 0"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.latencyBatch(0), "latencyBatch must be in [1, 65536], got 0"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.latencyTable(null), "latency table must not be null"),
        Arguments.of((Consumer<StructuredPruner.Builder>) b -> b.validation(null), "validation data must be a non-empty data set, got null"));
  }

  @ParameterizedTest
  @MethodSource("badSetterArguments")
  void setter_outOfRange_throwsWithAllowedRange(Consumer<StructuredPruner.Builder> call,
      String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class,
        () -> call.accept(StructuredPruner.builder())).getMessage());
  }

  static Stream<Arguments> badKeepRules() {
    Map<String, Integer> zero = new HashMap<>();
    zero.put("conv2d_1", 0);
    return Stream.of(
        Arguments.of((Supplier<KeepRule>) () -> KeepRule.filters(0), "keep fraction must be in (0, 1], got 0.0"),
        Arguments.of((Supplier<KeepRule>) () -> KeepRule.filters(1.5), "keep fraction must be in (0, 1], got 1.5"),
        Arguments.of((Supplier<KeepRule>) () -> KeepRule.flops(0), "FLOPs fraction must be in (0, 1], got 0.0"),
        Arguments.of((Supplier<KeepRule>) () -> KeepRule.flops(1.5, 8), "FLOPs fraction must be in (0, 1], got 1.5"),
        Arguments.of((Supplier<KeepRule>) () -> KeepRule.flops(0.5, 0), "channel multiple must be in [1, 1024], got 0"),
        Arguments.of((Supplier<KeepRule>) () -> KeepRule.accuracy(0, 0.5), "accuracy fraction of dense must be in (0, 1], got 0.0"),
        Arguments.of((Supplier<KeepRule>) () -> KeepRule.accuracy(1.01, 0.5), "accuracy fraction of dense must be in (0, 1], got 1.01"),
        Arguments.of((Supplier<KeepRule>) () -> KeepRule.accuracy(0.98, 0), "max keep fraction must be in (0, 1], got 0.0"),
        Arguments.of((Supplier<KeepRule>) () -> KeepRule.counts(Map.of()), "counts must name at least one layer, got {}"),
        Arguments.of((Supplier<KeepRule>) () -> KeepRule.counts(zero), "conv2d_1: kept count must be at least 1, got 0"));
  }

  @ParameterizedTest
  @MethodSource("badKeepRules")
  void keepRule_outOfRange_throwsWithAllowedRange(Supplier<KeepRule> rule, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, rule::get).getMessage());
  }

  @Test
  void build_averageScalingWithL1Norm_throws() {
    StructuredPruner.Builder b = StructuredPruner.builder().selection(SelectionMethod.L1_NORM)
        .scaling(Scaling.AVERAGE);
    assertEquals("scaling AVERAGE needs selection GREEDY_FORWARD, got L1_NORM",
        assertThrows(IllegalStateException.class, b::build).getMessage());
  }

  @Test
  void build_latencyTableWithTheUniformRule_throws() {
    StructuredPruner.Builder b = StructuredPruner.builder().keep(KeepRule.uniformFlops(0.5))
        .latencyTable(LatencyTable.of(1, Map.of("conv2d", Map.of(8, 1.0))));
    assertEquals("latencyTable and latencyBatch are read only by KeepRule.flops(f) and"
        + " KeepRule.filters(f), got keep FlopsFraction[fraction=0.5]",
        assertThrows(IllegalStateException.class, b::build).getMessage());
  }

  @Test
  void build_latencyTableAndLatencyBatch_throws() {
    StructuredPruner.Builder b = StructuredPruner.builder().keep(KeepRule.flops(0.5))
        .latencyTable(LatencyTable.of(1, Map.of("conv2d", Map.of(8, 1.0)))).latencyBatch(64);
    assertEquals("give either latencyTable (a table measured earlier) or latencyBatch (the batch"
        + " size of a table prune measures), not both",
        assertThrows(IllegalStateException.class, b::build).getMessage());
  }

  @Test
  void toString_listsEveryHyperParameter() {
    String s = StructuredPruner.builder().keep(KeepRule.uniformFilters(0.5)).candidates(7)
        .subsampleSize(33).fineTuneSteps(12).seed(5).build().toString();
    for (String part : new String[] {"selection=GREEDY_FORWARD", "keep=Fraction[fraction=0.5]",
        "candidates=7", "subsampleSize=33", "accuracySubset=2000", "scaling=MASK",
        "includeDense=true", "fineTune=SgdMomentum[learningRate=0.01, momentum=0.9",
        "fineTuneBudget=12 steps", "batchSize=128", "seed=5", "validation=null", "latency=none"}) {
      assertTrue(s.contains(part), part + " missing from " + s);
    }
  }

  @Test
  void builder_isIndependentOfLaterSetterCalls() {
    StructuredPruner.Builder b = StructuredPruner.builder().candidates(3);
    StructuredPruner built = b.build();
    b.candidates(9);
    assertTrue(built.toString().contains("candidates=3"), built.toString());
  }
}
