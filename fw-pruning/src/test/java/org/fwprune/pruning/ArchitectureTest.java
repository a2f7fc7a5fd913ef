package org.fwprune.pruning;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  /**
   * One slice per package directly under the root, plus the root itself: {@code
   * slices().matching("org.fwprune.pruning.(*)..")} would leave the root out of the cycle check.
   */
  static final class TopLevelPackages implements SliceAssignment {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String pkg = javaClass.getPackageName();
      if (pkg.equals(ROOT)) {
        return SliceIdentifier.of("pruning");
      }
      if (pkg.startsWith(ROOT + ".")) {
        return SliceIdentifier.of(pkg.substring(ROOT.length() + 1).split("\\.")[0]);
      }
      return SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "the packages of fw-pruning, the root included";
    }
  }

  @Test
  void packagesOfFwPruning_formNoCycle() {
    slices().assignedFrom(new TopLevelPackages()).should().beFreeOfCycles().check(classes);
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
