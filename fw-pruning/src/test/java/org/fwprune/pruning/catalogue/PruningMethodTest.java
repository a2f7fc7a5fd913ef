package org.fwprune.pruning.catalogue;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.MagnitudePruner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PruningMethodTest {

  private static final MethodSettings SETTINGS = MethodSettings.builder().targetSparsity(0.8)
      .steps(40).batchSize(32).pruningFraction(0.35).batchNormRecalibration(0).seed(7).build();

  @ParameterizedTest
  @EnumSource(value = PruningMethod.class, names = {"STRUCTURED_FW", "STRUCTURED_L1"},
      mode = EnumSource.Mode.EXCLUDE)
  void pruner_unstructuredMethod_carriesTheSharedSettings(PruningMethod method) {
    String pruner = method.pruner(SETTINGS).toString();

    for (String setting : List.of("targetSparsity=0.8", "budget=40 steps", "batchSize=32",
        "pruningFraction=0.35")) {
      assertTrue(pruner.contains(setting), setting + " missing from " + pruner);
    }
  }

  @ParameterizedTest
  @EnumSource(value = PruningMethod.class, names = {"STRUCTURED_FW", "STRUCTURED_L1"})
  void pruner_structuredMethod_throwsNamingFilterSelection(PruningMethod method) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> method.pruner(SETTINGS));

    assertTrue(e.getMessage().contains("filterSelection"), e.getMessage());
  }

  @Test
  void pruner_magnitudeAndFwMethods_buildTheirPrunerTypes() {
    assertInstanceOf(MagnitudePruner.class, PruningMethod.ONE_SHOT.pruner(SETTINGS));
    assertInstanceOf(MagnitudePruner.class, PruningMethod.GRADUAL_MAGNITUDE.pruner(SETTINGS));
    assertInstanceOf(FwPruner.class, PruningMethod.FW.pruner(SETTINGS));
  }

  @Test
  void filterSelection_structuredFw_usesGreedyForwardSelection() {
    String selection = PruningMethod.STRUCTURED_FW.filterSelection(SETTINGS, Optional.empty())
        .toString();

    assertTrue(selection.contains("GREEDY_FORWARD"), selection);
  }

  @Test
  void filterSelection_structuredL1WithoutCounts_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PruningMethod.STRUCTURED_L1.filterSelection(SETTINGS, Optional.empty()));

    assertTrue(e.getMessage().contains("structured-fw"), e.getMessage());
  }

  @Test
  void filterSelection_structuredL1_usesL1NormWithTheCounts() {
    String selection = PruningMethod.STRUCTURED_L1.filterSelection(SETTINGS,
        Optional.of(Map.of("conv0", 3))).toString();

    assertTrue(selection.contains("L1_NORM") && selection.contains("conv0"), selection);
  }

  @ParameterizedTest
  @EnumSource(PruningMethod.class)
  void fromId_ofEachId_returnsTheMethod(PruningMethod method) {
    assertSame(method, PruningMethod.fromId(method.id()));
  }

  @Test
  void fromId_unknownName_throwsListingTheNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PruningMethod.fromId("nope"));

    assertTrue(e.getMessage().contains("one-shot, gradual-magnitude, fw, fw-momentum"),
        e.getMessage());
  }
}
