package org.fwprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.fwprune.pruning.constraints.L1Ball;
import org.fwprune.pruning.fw.SupportRule;
import org.fwprune.pruning.schedule.MomentumSchedule;
import org.fwprune.pruning.scope.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrunerBuilderTest {

  static Stream<Arguments> badFwArguments() {
    return Stream.of(
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.targetSparsity(1.0), "targetSparsity must be in [0, 1), got 1.0"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.targetSparsity(-0.1), "targetSparsity must be in [0, 1), got -0.1"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.momentum(1.0), "momentum must be in [0, 1), got 1.0"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.momentum(-0.5), "momentum must be in [0, 1), got -0.5"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.tau(0), "tau must be in (0, 1000000], got 0.0"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.stepSize(null), "stepSize must not be null"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.constraint(null), "constraint must not be null"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.subsampleSize(0), "subsampleSize must be in [1, 65536], got 0"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.initialSparsity(1), "initialSparsity must be in [0, 1), got 1.0"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.scope(null), "scope must be GLOBAL or PER_LAYER, got null"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.steps(0), "steps must be in [1, 100000000], got 0"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.epochs(0), "epochs must be in (0, 10000], got 0.0"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.batchSize(0), "batchSize must be in [1, 65536], got 0"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.pruningFraction(1.5), "pruningFraction must be in [0, 1], got 1.5"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.frequency(0), "frequency must be in [1, 1000000], got 0"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.fineTune(null), "fineTune optimizer must not be null"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.validation(null), "validation data must be a non-empty data set, got null"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.gradientTransform(null), "gradient transform must not be null"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.momentumSchedule(null), "momentum schedule must not be null"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.support(null), "support must be one of [FIXED, SCHEDULE_PER_LAYER, SCHEDULE_GLOBAL, SCHEDULE_GLOBAL_LAYER_BUDGETS], got null"),
        Arguments.of((Consumer<FwPruner.Builder>) b -> b.support(SupportRule.SCHEDULE_GLOBAL).constraint(L1Ball.create()).build(), "support SCHEDULE_GLOBAL needs a KSparsePolytope constraint, got L1Ball"));
  }

  @ParameterizedTest
  @MethodSource("badFwArguments")
  void fwSetter_outOfRange_throwsWithAllowedRange(Consumer<FwPruner.Builder> call, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class,
        () -> call.accept(FwPruner.builder())).getMessage());
  }

  static Stream<Arguments> badMagnitudeArguments() {
    return Stream.of(
        Arguments.of((Consumer<MagnitudePruner.Builder>) b -> b.targetSparsity(1.0), "targetSparsity must be in [0, 1), got 1.0"),
        Arguments.of((Consumer<MagnitudePruner.Builder>) b -> b.mode(null), "mode must be ONE_SHOT or GRADUAL, got null"),
        Arguments.of((Consumer<MagnitudePruner.Builder>) b -> b.frequency(-1), "frequency must be in [1, 1000000], got -1"),
        Arguments.of((Consumer<MagnitudePruner.Builder>) b -> b.steps(-3), "steps must be in [0, 100000000] (0: prune without retraining, ONE_SHOT only), got -3"),
        Arguments.of((Consumer<MagnitudePruner.Builder>) b -> b.batchNormRecalibration(-1), "batchNormRecalibration batches must be in [0, 100000] (0: off), got -1"),
        Arguments.of((Consumer<MagnitudePruner.Builder>) b -> b.batchNormRecalibration(100_001), "batchNormRecalibration batches must be in [0, 100000] (0: off), got 100001"),
        Arguments.of((Consumer<MagnitudePruner.Builder>) b -> b.minimumDensity(1.0), "minimumDensity must be in [0, 1), got 1.0"),
        Arguments.of((Consumer<MagnitudePruner.Builder>) b -> b.minimumDensity(-0.1), "minimumDensity must be in [0, 1), got -0.1"));
  }

  @ParameterizedTest
  @MethodSource("badMagnitudeArguments")
  void magnitudeSetter_outOfRange_throwsWithAllowedRange(Consumer<MagnitudePruner.Builder> call,
      String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class,
        () -> call.accept(MagnitudePruner.builder())).getMessage());
  }

  @Test
  void build_initialAboveTarget_throwsIllegalState() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> FwPruner.builder().targetSparsity(0.5).initialSparsity(0.8).build());
    assertEquals("initialSparsity (0.8) must not exceed targetSparsity (0.5)", e.getMessage());
  }

  static Stream<Arguments> conflictingSettings() {
    return Stream.of(
        Arguments.of((Supplier<Object>) () -> FwPruner.builder().steps(10).epochs(1).build(),
            "set the budget with epochs(...) or with steps(...), not both"),
        Arguments.of((Supplier<Object>) () -> MagnitudePruner.builder().epochs(2).steps(10).build(),
            "set the budget with epochs(...) or with steps(...), not both"),
        Arguments.of((Supplier<Object>) () -> FwPruner.builder().momentum(0.5)
            .momentumSchedule(MomentumSchedule.decaying()).build(),
            "set the momentum with momentum(...) or with momentumSchedule(...), not both"),
        Arguments.of((Supplier<Object>) () -> MagnitudePruner.builder().minimumDensity(0.05)
            .scope(Scope.PER_LAYER).build(),
            "minimumDensity (0.05) is a floor under the GLOBAL threshold; with scope PER_LAYER"
                + " every kernel already keeps 1 - targetSparsity of its weights"),
        Arguments.of((Supplier<Object>) () -> MagnitudePruner.builder().targetSparsity(0.95)
            .minimumDensity(0.1).build(),
            "minimumDensity + targetSparsity must be at most 1, got 0.1 + 0.95: every kernel"
                + " cannot keep more than the target leaves"),
        Arguments.of((Supplier<Object>) () -> FwPruner.builder().minimumDensity(0.05)
            .support(SupportRule.SCHEDULE_GLOBAL_LAYER_BUDGETS).build(),
            "minimumDensity (0.05) floors the global magnitude threshold, but support"
                + " SCHEDULE_GLOBAL_LAYER_BUDGETS sets each layer's count from the vertex instead;"
                + " use one or the other"));
  }

  @ParameterizedTest
  @MethodSource("conflictingSettings")
  void build_conflictingSettings_isRefusedNamingBoth(Supplier<Object> build, String message) {
    // One rule for every builder: two setters for the same property conflict, whatever the order.
    assertEquals(message, assertThrows(IllegalStateException.class, build::get).getMessage());
  }

  @Test
  void toString_listsEveryHyperParameter() {
    String s = FwPruner.builder().build().toString();
    for (String key : new String[] {"momentum=0.9", "tau=20.0", "stepSize=", "constraint=",
        "targetSparsity=0.9", "initialSparsity=0.5", "scope=GLOBAL", "budget=", "batchSize=128",
        "pruningFraction=0.8", "frequency=20", "fineTune=", "seed="}) {
      assertTrue(s.contains(key), key + " missing from " + s);
    }
  }
}
