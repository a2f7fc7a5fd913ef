package org.fwprune.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writeString_existingFile_replacedAndNoTemporaryLeft() throws IOException {
    Path target = dir.resolve("a.txt");
    Files.writeString(target, "old");
    AtomicFiles.writeString(target, "new");
    assertEquals("new", Files.readString(target));
    assertEquals(List.of("a.txt"), names());
  }

  @Test
  void write_missingParentFolders_created() throws IOException {
    Path target = dir.resolve("x/y/b.bin");
    AtomicFiles.write(target, new byte[] {1, 2});
    assertEquals(2, Files.size(target));
  }

  @Test
  void write_contentFailsHalfway_targetUntouchedAndNoTemporaryLeft() throws IOException {
    Path target = dir.resolve("a.txt");
    Files.writeString(target, "old");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
      out.write("half".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("a.txt"), names());
  }

  @Test
  void write_checkRejects_targetNeverCreatedAndNoTemporaryLeft() throws IOException {
    Path target = dir.resolve("a.txt");
    assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> out.write(7),
        written -> {
          // The check sees the complete content before the rename.
          assertEquals(1, Files.size(written));
          throw new IOException("bad checksum");
        }));
    assertEquals(List.of(), names());
  }

  @Test
  void writeFolder_newFolder_appearsWithItsContent() throws IOException {
    Path target = dir.resolve("model");
    AtomicFiles.writeFolder(target, tmp -> {
      Files.createDirectory(tmp);
      Files.writeString(tmp.resolve("f"), "x");
    });
    assertEquals("x", Files.readString(target.resolve("f")));
    assertEquals(List.of("model"), names());
  }

  @Test
  void writeFolder_contentFails_nothingLeft() throws IOException {
    assertThrows(IOException.class, () -> AtomicFiles.writeFolder(dir.resolve("model"), tmp -> {
      Files.createDirectory(tmp);
      Files.writeString(tmp.resolve("f"), "x");
      throw new IOException("export failed");
    }));
    assertEquals(List.of(), names());
  }

  @Test
  void writeFolder_targetExists_throwsNamingIt() throws IOException {
    Path target = Files.createDirectory(dir.resolve("model"));
    IOException e = assertThrows(IOException.class,
        () -> AtomicFiles.writeFolder(target, tmp -> Files.createDirectory(tmp)));
    assertTrue(e.getMessage().contains(target + ": it already exists"), e.getMessage());
  }

  @Test
  void isTemporary_recognisesOnlyHiddenTmpNames() {
    assertTrue(AtomicFiles.isTemporary(".model.json.123.tmp"));
    assertFalse(AtomicFiles.isTemporary("model.json"));
    assertFalse(AtomicFiles.isTemporary("notes.tmp"));
  }
}
