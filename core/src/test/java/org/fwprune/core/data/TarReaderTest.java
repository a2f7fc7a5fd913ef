package org.fwprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TarReaderTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void next_regularFiles_returnedInOrderWithContentAndDirectoriesSkipped() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("package/", new byte[0]);
    files.put("package/package.json", bytes("{\"name\":\"x\"}"));
    byte[] big = new byte[1500];
    Arrays.fill(big, (byte) 7);
    files.put("package/data/big", big);
    files.put("package/empty", new byte[0]);
    TarReader tar = new TarReader(new ByteArrayInputStream(TestFiles.tar(files)));

    TarReader.Entry first = tar.next();
    assertEquals(new TarReader.Entry("package/package.json", 12), first);
    // Skipping the first entry's content without reading it.
    TarReader.Entry second = tar.next();
    assertEquals("package/data/big", second.name());
    assertArrayEquals(big, tar.content().readAllBytes());
    assertEquals(new TarReader.Entry("package/empty", 0), tar.next());
    assertNull(tar.next());
    assertNull(tar.next());
  }

  @Test
  void next_longNameInUstarPrefix_joinedWithSlash() throws IOException {
    String name = "package/" + "d".repeat(120) + "/file.bin";
    TarReader tar =
        new TarReader(new ByteArrayInputStream(TestFiles.tar(Map.of(name, bytes("ab")))));
    assertEquals(name, tar.next().name());
    assertArrayEquals(bytes("ab"), tar.content().readAllBytes());
  }

  @Test
  void next_paxPathRecord_overridesHeaderName() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String record = "package/data/very-long-name";
    String line = " path=" + record + "\n";
    // The length field counts itself: 2 digits + the rest.
    String pax = (line.length() + 2) + line;
    TestFiles.writeEntry(out, "PaxHeader", "", (byte) 'x', bytes(pax));
    TestFiles.writeEntry(out, "short-name", "", (byte) '0', bytes("xyz"));
    out.writeBytes(new byte[1024]);
    TarReader tar = new TarReader(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(new TarReader.Entry(record, 3), tar.next());
    assertArrayEquals(bytes("xyz"), tar.content().readAllBytes());
    assertNull(tar.next());
  }

  @Test
  void next_corruptChecksum_throws() {
    byte[] archive = TestFiles.tar(Map.of("a", bytes("hello")));
    archive[0] = 'b';
    IOException e =
        assertThrows(
            IOException.class, () -> new TarReader(new ByteArrayInputStream(archive)).next());
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void content_truncatedArchive_throws() throws IOException {
    byte[] content = new byte[2000];
    byte[] archive = Arrays.copyOf(TestFiles.tar(Map.of("a", content)), 512 + 1000);
    TarReader tar = new TarReader(new ByteArrayInputStream(archive));
    tar.next();
    IOException e = assertThrows(IOException.class, () -> tar.content().readAllBytes());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void next_truncatedHeader_throws() {
    byte[] archive = Arrays.copyOf(TestFiles.tar(Map.of("a", new byte[0])), 300);
    IOException e =
        assertThrows(
            IOException.class, () -> new TarReader(new ByteArrayInputStream(archive)).next());
    assertTrue(e.getMessage().contains("truncated tar header"), e.getMessage());
  }
}
