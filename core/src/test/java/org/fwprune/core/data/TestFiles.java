package org.fwprune.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Builders of IDX, gzip and tar bytes for tests, and the location of the real MNIST files. */
final class TestFiles {

  static final int UBYTE = 0x08;
  static final int BYTE = 0x09;
  static final int SHORT = 0x0B;
  static final int INT = 0x0C;
  static final int FLOAT = 0x0D;
  static final int DOUBLE = 0x0E;

  private TestFiles() {}

  /** Returns an IDX header (magic number and dimensions) followed by {@code data}. */
  static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer buf = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    buf.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      buf.putInt(d);
    }
    buf.put(data);
    return buf.array();
  }

  /** Returns an unsigned-byte IDX file of the given shape with the given values. */
  static byte[] ubyteIdx(int[] dims, int... values) {
    byte[] data = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      data[i] = (byte) values[i];
    }
    return idx(UBYTE, dims, data);
  }

  /** Returns a float IDX file of the given shape with the given values, big-endian. */
  static byte[] floatIdx(int[] dims, float... values) {
    ByteBuffer data = ByteBuffer.allocate(4 * values.length);
    for (float v : values) {
      data.putFloat(v);
    }
    return idx(FLOAT, dims, data.array());
  }

  /** Returns an int IDX file of the given shape with the given values, big-endian. */
  static byte[] intIdx(int[] dims, int... values) {
    ByteBuffer data = ByteBuffer.allocate(4 * values.length);
    for (int v : values) {
      data.putInt(v);
    }
    return idx(INT, dims, data.array());
  }

  static int[] dims(int... dims) {
    return dims;
  }

  /** Returns {@code data} gzip-compressed at the fastest level (large test archives). */
  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out =
        new GZIPOutputStream(bytes) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Returns the decompressed content of a gzip file. */
  static byte[] gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  /** Writes {@code data} to {@code dir/name}, gzipped first if asked, and returns the path. */
  static Path write(Path dir, String name, byte[] data, boolean gzip) throws IOException {
    return Files.write(dir.resolve(name), gzip ? gzip(data) : data);
  }

  /**
   * Returns a ustar archive holding the given files in iteration order; names longer than 100
   * characters are split into the ustar prefix.
   */
  static byte[] tar(Map<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      String name = e.getKey();
      String prefix = "";
      if (name.length() > 100) {
        int slash = name.lastIndexOf('/', 155);
        prefix = name.substring(0, slash);
        name = name.substring(slash + 1);
      }
      byte type = name.endsWith("/") ? (byte) '5' : (byte) '0';
      writeEntry(out, name, prefix, type, e.getValue());
    }
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  /** Appends one ustar header and its padded content. */
  static void writeEntry(
      ByteArrayOutputStream out, String name, String prefix, byte type, byte[] content) {
    out.writeBytes(header(name, prefix, type, content.length));
    out.writeBytes(content);
    out.writeBytes(new byte[(512 - content.length % 512) % 512]);
  }

  /** Returns a ustar header block with a correct checksum. */
  static byte[] header(String name, String prefix, byte type, long size) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, String.format("%011o", 0));
    h[156] = type;
    put(h, 257, "ustar");
    put(h, 263, "00");
    put(h, 345, prefix);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xFF;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    h[155] = ' ';
    return h;
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }

  /**
   * Returns the shared real MNIST folder, looked up relative to the working folder (the project
   * root or the core module), or empty if this checkout has none.
   */
  static Optional<Path> realMnistDir() {
    for (String candidate :
        new String[] {"../shared/datasets/mnist", "../../shared/datasets/mnist"}) {
      Path dir = Path.of(candidate).toAbsolutePath().normalize();
      if (Mnist.missingFiles(dir).isEmpty()) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }
}
