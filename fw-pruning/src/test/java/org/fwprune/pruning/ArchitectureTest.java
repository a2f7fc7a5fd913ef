package org.fwprune.pruning;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.fwprune.core.testing.PackageSlices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of fw-pruning, checked on the compiled classes: no cycle, and the root package
 * (pruners, loop, report) is the top floor that no sub-package imports back
 * (docs/architecture.md).
 */
class ArchitectureTest {

  private static final String ROOT = "org.fwprune.pruning";

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
        .should().dependOnClassesThat().resideInAPackage(ROOT)
        .because("the root's pruners and loop use the sub-packages; shared settings live in "
            + "pruning.scope, below both")
        .check(classes);
  }
}
