package org.fwprune.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.fwprune.core.testing.PackageSlices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The floors of core, checked on the compiled classes: no package cycle, and every arrow points
 * down (docs/architecture.md). The facade is the root package {@code org.fwprune.core}.
 */
class ArchitectureTest {

  private static final String ROOT = "org.fwprune.core";
  private static final String FACADE = ROOT;
  private static final String SPEC = ROOT + ".model..";
  private static final String RUNTIME = ROOT + ".runtime..";
  private static final String TRAIN = ROOT + ".train..";
  private static final String EVAL = ROOT + ".eval..";
  private static final String KERAS = ROOT + ".keras..";
  private static final String STORE = ROOT + ".store..";
  private static final String ONNX = ROOT + ".onnx..";
  private static final String SERVING = ROOT + ".serving..";
  private static final String DATA = ROOT + ".data..";
  private static final String CHECK = ROOT + ".check..";
  private static final String IO = ROOT + ".io..";

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = PackageSlices.mainClasses(ROOT);
  }

  @Test
  void packagesOfCore_formNoCycle() {
    PackageSlices.freeOfCycles(ROOT, "facade").check(classes);
  }

  @Test
  void layerSpecification_usesNoRuntimeTrainingEvaluationFileFormatOrFacade() {
    noClasses().that().resideInAPackage(SPEC)
        .should().dependOnClassesThat()
        .resideInAnyPackage(RUNTIME, TRAIN, EVAL, KERAS, STORE, ONNX, FACADE)
        .because("the layer specification is plain data that every floor above reads")
        .check(classes);
  }

  @Test
  void floorsBelowTheFacade_doNotUseIt() {
    noClasses().that()
        .resideInAnyPackage(SPEC, RUNTIME, TRAIN, EVAL, KERAS, STORE, ONNX, DATA, CHECK, IO)
        .should().dependOnClassesThat().resideInAPackage(FACADE)
        .because("the facade delegates down; a call back up would make the floors a cycle")
        .check(classes);
  }

  @Test
  void fileFormats_knowNothingOfSessionsTrainingOrEvaluation() {
    noClasses().that().resideInAnyPackage(KERAS, STORE, ONNX)
        .should().dependOnClassesThat().resideInAnyPackage(RUNTIME, TRAIN, EVAL)
        .because("Keras, ONNX and model folders map an Architecture plus weights; the facade reads "
            + "and writes the session's variables")
        .check(classes);
  }

  @Test
  void groundFloors_useNoOtherPackageOfCore() {
    noClasses().that().resideInAnyPackage(CHECK, IO)
        .should().dependOnClassesThat()
        .resideInAnyPackage(FACADE, SPEC, RUNTIME, TRAIN, EVAL, KERAS, STORE, ONNX, DATA)
        .because("argument checks and atomic files are used by every floor")
        .check(classes);
  }

  @Test
  void dataSets_useOnlyTheGroundFloors() {
    noClasses().that().resideInAPackage(DATA)
        .should().dependOnClassesThat()
        .resideInAnyPackage(FACADE, SPEC, RUNTIME, TRAIN, EVAL, KERAS, STORE, ONNX)
        .because("data sets are read by training and evaluation, never the other way")
        .check(classes);
  }

  @Test
  void servingApi_usesOnlyArgumentChecks() {
    noClasses().that().resideInAPackage(SERVING)
        .should().dependOnClassesThat()
        .resideInAnyPackage(FACADE, SPEC, RUNTIME, TRAIN, EVAL, KERAS, STORE, ONNX, DATA, IO)
        .because("engine modules implement the serving interfaces without the engine below")
        .check(classes);
  }
}
