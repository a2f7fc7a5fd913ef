package org.fwprune.pruning;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.fwprune.core.testing.PackageSlices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of fw-pruning, checked on the compiled classes: no cycle, and the root package
 * (pruners, loop, report) is imported back by no sub-package but the catalogue, the top floor
 * (docs/architecture.md).
 */
class ArchitectureTest {

  private static final String ROOT = "org.fwprune.pruning";
  /** The catalogue builds the root's pruners: the one floor above the root. */
  private static final String CATALOGUE = ROOT + ".catalogue..";

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = PackageSlices.mainClasses(ROOT);
  }

  @Test
  void packagesOfFwPruning_formNoCycle() {
    PackageSlices.freeOfCycles(ROOT, "pruning").check(classes);
  }

  @Test
  void subPackages_doNotImportTheRootPackage() {
    noClasses().that().resideInAPackage(ROOT + ".*..")
        .and().resideOutsideOfPackage(CATALOGUE)
        .should().dependOnClassesThat().resideInAPackage(ROOT)
        .because("the root's pruners and loop use the sub-packages; shared settings live in "
            + "pruning.scope, below both")
        .check(classes);
  }

  @Test
  void nothingBelowTheCatalogue_importsIt() {
    noClasses().that().resideOutsideOfPackage(CATALOGUE)
        .should().dependOnClassesThat().resideInAPackage(CATALOGUE)
        .because("the catalogue is the top floor of fw-pruning: it lists the methods the"
            + " pruners implement")
        .check(classes);
  }
}
