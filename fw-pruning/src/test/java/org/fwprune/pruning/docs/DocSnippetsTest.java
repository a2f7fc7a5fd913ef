package org.fwprune.pruning.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every ```java block of README.md and docs/*.md must be code compiled in {@link DocSnippets} or
 * in the structured package's {@code StructuredSnippets}.
 */
class DocSnippetsTest {

  private static final Path ROOT = Path.of("..");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  static Stream<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs.stream();
  }

  /** Lines without indentation or trailing comments' spacing, blank lines dropped. */
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

  @ParameterizedTest
  @MethodSource("documents")
  void javaBlocks_appearInCompiledSnippets(Path doc) throws IOException {
    String source = normalise(Files.readString(
        Path.of("src/test/java/org/fwprune/pruning/docs/DocSnippets.java")))
        + normalise(Files.readString(
            Path.of("src/test/java/org/fwprune/pruning/structured/StructuredSnippets.java")));
    Matcher m = JAVA_BLOCK.matcher(Files.readString(doc));
    while (m.find()) {
      String block = normalise(m.group(1));
      assertFalse(block.isEmpty());
      assertTrue(source.contains(block), doc + " shows code that DocSnippets does not compile:\n"
          + block);
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"README.md", "docs/api-guide.md",
      "docs/structured.md"})
  void pagesWithCode_showCheckedJavaBlocks(String page) throws IOException {
    // Guards the check above against passing vacuously after a fence changes language.
    assertTrue(JAVA_BLOCK.matcher(Files.readString(ROOT.resolve(page))).find(),
        page + " has no ```java block");
  }
}
