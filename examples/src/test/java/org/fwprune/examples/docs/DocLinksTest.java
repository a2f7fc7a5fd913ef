package org.fwprune.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every relative link and image in README.md and the Markdown pages under docs/ names a file that
 * git tracks (or a folder holding one): a file that exists only in one developer's working tree,
 * or that .gitignore hides, is a broken link on a fresh clone.
 */
class DocLinksTest {

  /** The repository root; surefire runs in the module folder. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static Set<String> tracked;

  /** Returns the repository's tracked files, paths relative to the root with '/' separators. */
  private static synchronized Set<String> tracked() throws IOException, InterruptedException {
    if (tracked == null) {
      Process git = new ProcessBuilder("git", "-C", ROOT.toString(), "ls-files", "-z")
          .redirectErrorStream(true).start();
      String out;
      try (InputStream in = git.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertTrue(git.waitFor(60, TimeUnit.SECONDS), "git ls-files did not finish in 60 s");
      assertEquals(0, git.exitValue(), "git ls-files in " + ROOT + " failed: " + out);
      tracked = new TreeSet<>(List.of(out.split("\0")));
    }
    return tracked;
  }

  static Stream<String> pages() throws IOException, InterruptedException {
    return tracked().stream()
        .filter(p -> p.equals("README.md") || (p.startsWith("docs/") && p.endsWith(".md")));
  }

  @ParameterizedTest
  @MethodSource("pages")
  void relativeLinks_resolveToTrackedFiles(String page) throws IOException, InterruptedException {
    Path file = ROOT.resolve(page);
    List<String> broken = new ArrayList<>();
    for (String target : DocLinks.relativeTargets(Files.readString(file))) {
      Path resolved = file.getParent().resolve(target).normalize();
      String relative = ROOT.relativize(resolved).toString().replace('\\', '/');
      boolean ok = tracked().contains(relative)
          || tracked().stream().anyMatch(t -> t.startsWith(relative + "/"));
      if (!ok) {
        broken.add(target + " (" + relative + ")");
      }
    }
    assertEquals(List.of(), broken, page + " links to files the repository does not track");
  }

  @Test
  void sourcesAndDocs_citeOnlyDocsPagesThatExist() throws IOException, InterruptedException {
    // Javadoc and pages cite docs as plain text ("see docs/algorithms.md"), which no link check
    // sees; the workplace's notes that the code once cited (its algorithm and TF Java notes and
    // its datasets README) lie outside the repository. The [S] and [E] keep this file from
    // matching itself.
    Pattern cited = Pattern.compile("docs/[\\w./-]+?\\.md\\b|ALGORITHMS\\.md|TFJAVA-NOTE[S]"
        + "|shared/datasets/READM[E]");
    List<String> broken = new ArrayList<>();
    for (String file : tracked()) {
      if (!file.endsWith(".java") && !file.endsWith(".md")) {
        continue;
      }
      Matcher m = cited.matcher(Files.readString(ROOT.resolve(file)));
      while (m.find()) {
        if (!tracked().contains(m.group())) {
          broken.add(file + ": " + m.group());
        }
      }
    }
    assertEquals(List.of(), broken, "citations of files the repository does not hold");
  }

  @Test
  void pages_includeReadmeAndDocs() throws IOException, InterruptedException {
    // Guards the check above against passing vacuously when it finds no page.
    List<String> pages = pages().toList();
    assertTrue(pages.contains("README.md"), pages.toString());
    assertTrue(pages.contains("docs/results.md"), pages.toString());
  }

  @Test
  void relativeTargets_pageWithLinksImagesAndCode_returnsOnlyRelativeTargets() {
    String page = String.join("\n",
        "See [guide](guides/a.md#setup) and ![chart](results/a.png \"title\").",
        "Outside: [paper](https://arxiv.org/abs/1), [mail](mailto:a@b.c), [here](#top).",
        "Inline code `[not](a-link.md)` is skipped.",
        "```",
        "[in a fence](fenced.md)",
        "```",
        "<img src=\"img/b.png\" alt=\"b\">",
        "[ref]: ../other.md");

    assertEquals(List.of("guides/a.md", "results/a.png", "../other.md", "img/b.png"),
        DocLinks.relativeTargets(page));
  }
}
