package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every plain-fenced block (no language) of docs/structured.md is Java compiled in
 * {@link StructuredSnippets}; shell commands are fenced {@code bash}.
 */
class StructuredDocsTest {

  private static final Pattern PLAIN_BLOCK = Pattern.compile("(?m)^```\\n(.*?)^```",
      Pattern.DOTALL);

  private static String normalise(String code) {
    StringBuilder sb = new StringBuilder();
    for (String line : code.split("\n")) {
      String t = line.strip().replaceAll("\\s+", " ");
      if (!t.isEmpty()) {
        sb.append(t).append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void plainBlocks_appearInCompiledSnippets() throws IOException {
    String source = normalise(Files.readString(
        Path.of("src/test/java/org/fwprune/pruning/structured/StructuredSnippets.java")));
    Matcher m = PLAIN_BLOCK.matcher(Files.readString(Path.of("../docs/structured.md")));
    int blocks = 0;
    while (m.find()) {
      String block = normalise(m.group(1));
      assertFalse(block.isEmpty());
      assertTrue(source.contains(block),
          "docs/structured.md shows code that StructuredSnippets does not compile:\n" + block);
      blocks++;
    }
    assertTrue(blocks >= 2, "expected the page's two code examples, found " + blocks);
  }
}
