package org.fwprune.core.testing;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * What the modules' ArchitectureTests share: their main classes, and the cycle rule over one slice
 * per package directly under a module's root, one per such package's {@code internal}
 * sub-package (its engine, not exported), plus the root itself ({@code
 * slices().matching("root.(*)..")} would leave the root, the module's top floor, out).
 */
public final class PackageSlices implements SliceAssignment {

  /** The name of the sub-package that holds a package's engine. */
  public static final String INTERNAL = "internal";

  private final String root;
  private final String rootSlice;

  private PackageSlices(String root, String rootSlice) {
    this.root = root;
    this.rootSlice = rootSlice;
  }

  /** The module's compiled main classes under {@code root}, tests left out. */
  public static JavaClasses mainClasses(String root) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(root);
  }

  /**
   * No cycle among the packages under {@code root}; the root's own classes form the slice named
   * {@code rootSlice}.
   */
  public static ArchRule freeOfCycles(String root, String rootSlice) {
    return slices().assignedFrom(new PackageSlices(root, rootSlice)).should().beFreeOfCycles();
  }

  @Override
  public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
    String pkg = javaClass.getPackageName();
    if (pkg.equals(root)) {
      return SliceIdentifier.of(rootSlice);
    }
    if (pkg.startsWith(root + ".")) {
      String[] parts = pkg.substring(root.length() + 1).split("\\.");
      // A package's engine (its "internal" sub-package) is a slice of its own, so that the
      // exported package and its engine cannot import each other.
      return SliceIdentifier.of(parts.length > 1 && parts[1].equals(INTERNAL)
          ? parts[0] + "." + INTERNAL : parts[0]);
    }
    return SliceIdentifier.ignore();
  }

  @Override
  public String getDescription() {
    return "the packages under " + root + ", the root included";
  }
}
