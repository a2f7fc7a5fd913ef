package org.fwprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pruners reach a model only through {@code Cnn.prunable()} ({@code PrunableModel}): no main
 * source of this module names {@code ModelGraph} (its {@code of} included). Only the nested
 * types {@code ModelGraph.WeightedLayer} and {@code ModelGraph.Lease} that the interface returns
 * may be named.
 */
class PrunerBoundaryTest {

  private static final Path SOURCES = Path.of("src/main/java");
  // "ModelGraph" not followed by ".WeightedLayer"/".Lease", outside import lines; or ".graph()".
  private static final Pattern WIDE = Pattern.compile(
      "\\bModelGraph\\b(?!\\.(WeightedLayer|Lease)\\b)|\\.graph\\(\\)");

  @Test
  void mainSources_useOnlyThePrunableModelInterface() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertFalse(files.isEmpty(), "no sources under " + SOURCES.toAbsolutePath());
    StringBuilder found = new StringBuilder();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.startsWith("import ")) {
          continue;
        }
        Matcher m = WIDE.matcher(line);
        if (m.find()) {
          found.append(file).append(':').append(i + 1).append(": ").append(line.trim())
              .append('\n');
        }
      }
    }
    assertEquals("", found.toString());
  }
}
