package org.fwprune.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarFile;
import org.fwprune.core.Cnn;
import org.fwprune.pruning.Pruner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The examples use the library as a user does: only the packages that core's and fw-pruning's
 * {@code module-info} export to everyone. The examples run on the class path, where the module
 * boundary is not enforced, so this test enforces it, reading the exports from the two modules'
 * descriptors (a package exported tomorrow is allowed tomorrow). Two places are allowed more:
 * <ul>
 *   <li>{@code org.fwprune.examples.engine}, the documented door for benchmarks that time engine
 *       pieces against plain TensorFlow and for diagnostics ({@code EngineProbe});
 *   <li>core's ground utilities {@code check} ({@code Require}) and {@code io}
 *       ({@code AtomicFiles}), argument checks and crash-safe file writes that hold no model
 *       state, which the study harnesses share with the library rather than copy.
 * </ul>
 */
class ExamplesArchitectureTest {

  private static final String ENGINE_DOOR = "org.fwprune.examples.engine..";
  private static final Set<String> SHARED_UTILITIES =
      Set.of("org.fwprune.core.check", "org.fwprune.core.io");

  private static JavaClasses classes;
  private static Set<String> exported;

  @BeforeAll
  static void importMainClassesAndExports() throws IOException, URISyntaxException {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.fwprune.examples");
    exported = new HashSet<>();
    exported.addAll(unqualifiedExports(Cnn.class));
    exported.addAll(unqualifiedExports(Pruner.class));
  }

  @Test
  void exports_areReadFromBothModules() {
    // Guards the rule itself: with no descriptor found, every library package would count as
    // internal and the message would mislead.
    assertTrue(exported.contains("org.fwprune.core") && exported.contains("org.fwprune.pruning"),
        "exports read: " + exported);
  }

  @Test
  void examples_useOnlyExportedPackages_exceptTheEngineDoor() {
    noClasses().that().resideOutsideOfPackage(ENGINE_DOOR)
        .should().dependOnClassesThat(inALibraryPackageNotExported())
        .because("a user of the library sees only what module-info exports; engine access goes "
            + "through org.fwprune.examples.engine (docs/architecture.md)")
        .check(classes);
  }

  private static DescribedPredicate<JavaClass> inALibraryPackageNotExported() {
    return DescribedPredicate.describe("are in a package of core or fw-pruning that module-info "
        + "does not export", c -> {
          String pkg = c.getPackageName();
          boolean library = pkg.startsWith("org.fwprune.core")
              || pkg.startsWith("org.fwprune.pruning");
          return library && !exported.contains(pkg) && !SHARED_UTILITIES.contains(pkg);
        });
  }

  /** The packages the module holding {@code anchor} exports to everyone. */
  private static Set<String> unqualifiedExports(Class<?> anchor)
      throws IOException, URISyntaxException {
    Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor descriptor;
    if (Files.isDirectory(location)) {
      try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
        descriptor = ModuleDescriptor.read(in);
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile());
          InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
        descriptor = ModuleDescriptor.read(in);
      }
    }
    Set<String> out = new HashSet<>();
    for (ModuleDescriptor.Exports e : descriptor.exports()) {
      if (!e.isQualified()) {
        out.add(e.source());
      }
    }
    return out;
  }
}
