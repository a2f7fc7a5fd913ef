package org.fwprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fwprune.core.testing.KerasFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KerasFamilies' refusals of a wrong folder or family name, before any model is loaded, and its
 * comparison of a loaded family with Keras' recorded outputs.
 */
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

  /** Copies a miniature and its probe into the temporary folder, with {@code outputs}' edit. */
  private void copyMiniature(String name, java.util.function.UnaryOperator<String> edit)
      throws IOException {
    Path source = KerasFixtures.FAMILIES_IN_SOURCE_TREE;
    Files.copy(source.resolve(name + ".keras"), tmp.resolve(name + ".keras"));
    Files.writeString(tmp.resolve(name + ".json"),
        edit.apply(Files.readString(source.resolve(name + ".json"))));
  }

  @Test
  void run_miniature_matchesKerasWithTheSameTopClassForEveryImage() throws IOException {
    copyMiniature("dilated_depthwise", json -> json);
    KerasFamilies.Row row = KerasFamilies.run(tmp, List.of()).get(0);
    assertEquals(4, row.images());
    assertEquals(4, row.sameTopClass());
    assertTrue(row.maxAbsDifference() < 1e-4, "difference " + row.maxAbsDifference());
  }

  @Test
  void run_probeWithAnotherTopClass_countsTheImageAsDiffering() throws IOException {
    // The first image's recorded outputs made one-hot on a class the network does not favour:
    // its 10 outputs become 0 but the last, which becomes 100.
    copyMiniature("dilated_depthwise", json -> {
      int start = json.indexOf("\"outputs\": [") + "\"outputs\": [".length();
      StringBuilder first = new StringBuilder();
      for (int j = 0; j < 9; j++) {
        first.append("0.0, ");
      }
      int end = start;
      for (int commas = 0; commas < 10; end++) {
        if (json.charAt(end) == ',') {
          commas++;
        }
      }
      return json.substring(0, start) + first + "100.0," + json.substring(end);
    });
    KerasFamilies.Row row = KerasFamilies.run(tmp, List.of()).get(0);
    assertEquals(3, row.sameTopClass());
  }
}
