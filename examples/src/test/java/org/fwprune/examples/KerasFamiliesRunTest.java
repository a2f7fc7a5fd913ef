package org.fwprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KerasFamilies' refusals of a wrong folder or family name, before any model is loaded. */
class KerasFamiliesRunTest {

  @TempDir
  Path tmp;

  @Test
  void run_missingFolder_isRefusedNamingIt() {
    Path missing = tmp.resolve("no-such-folder");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasFamilies.run(missing, List.of()));
    assertEquals(missing + " is not a folder: give the folder that tools/keras/full_families.py"
        + " wrote", e.getMessage());
  }

  @Test
  void run_familyToPruneWithoutFile_isRefusedListingTheFolder() throws IOException {
    Files.writeString(tmp.resolve("ResNet50.keras"), "not read: the name check comes first");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasFamilies.run(tmp, List.of("ResNet512")));
    assertEquals("no ResNet512.keras in " + tmp + " to prune; the folder holds [ResNet50.keras]",
        e.getMessage());
  }
}
