package org.fwprune.core.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the regular files in a POSIX (ustar) tar stream, enough for npm package
 * archives: it honours the ustar name prefix, pax {@code path} and {@code size} records and GNU
 * long names, verifies header checksums, and skips directories, links and other entry types.
 *
 * <p>Not thread-safe; the caller owns and closes the underlying stream.
 */
final class TarReader {

  /** A regular file in the archive. */
  record Entry(String name, long size) {}

  private static final int BLOCK = 512;

  /** Bound on pax and GNU long-name records, which hold only short metadata. */
  private static final int MAX_METADATA = 1 << 20;

  private final InputStream in;
  private long remaining;
  private long padding;
  private boolean ended;

  TarReader(InputStream in) {
    this.in = in;
  }

  /**
   * Advances to the next regular file, skipping what is left of the current one.
   *
   * @return the entry, or {@code null} at the end of the archive
   * @throws IOException if the archive is truncated or a header is corrupt
   */
  Entry next() throws IOException {
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
    String pendingName = null;
    long pendingSize = -1;
    while (!ended) {
      byte[] header = in.readNBytes(BLOCK);
      if (header.length == 0) {
        // Archives cut right after an entry, without the two zero blocks, are common enough.
        ended = true;
        break;
      }
      if (header.length < BLOCK) {
        throw new IOException(
            "truncated tar header: expected " + BLOCK + " bytes, found " + header.length);
      }
      if (isZero(header)) {
        ended = true;
        break;
      }
      verifyChecksum(header);
      long size = pendingSize >= 0 ? pendingSize : parseOctal(header, 124, 12, "size");
      char type = (char) header[156];
      String name = pendingName != null ? pendingName : headerName(header);
      long pad = (BLOCK - size % BLOCK) % BLOCK;
      switch (type) {
        case 'x' -> {
          byte[] pax = readMetadata(size, pad);
          pendingName = paxValue(pax, "path", pendingName);
          String paxSize = paxValue(pax, "size", null);
          if (paxSize != null) {
            pendingSize = parseDecimal(paxSize);
          }
        }
        case 'L' -> {
          String longName = new String(readMetadata(size, pad), StandardCharsets.UTF_8);
          int nul = longName.indexOf('\0');
          pendingName = nul >= 0 ? longName.substring(0, nul) : longName;
        }
        case '0', '\0', '7' -> {
          remaining = size;
          padding = pad;
          return new Entry(name, size);
        }
        default -> {
          // Directories, links, global pax headers: nothing we extract.
          skipFully(size + pad);
          pendingName = null;
          pendingSize = -1;
        }
      }
    }
    return null;
  }

  /** Returns a stream over the current entry's content; closing it does not close the archive. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int b = in.read();
        if (b < 0) {
          throw new IOException("truncated tar entry: " + remaining + " bytes missing");
        }
        remaining--;
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int r = in.read(buf, off, (int) Math.min(len, remaining));
        if (r < 0) {
          throw new IOException("truncated tar entry: " + remaining + " bytes missing");
        }
        remaining -= r;
        return r;
      }
    };
  }

  private byte[] readMetadata(long size, long pad) throws IOException {
    if (size > MAX_METADATA) {
      throw new IOException("tar metadata record of " + size + " bytes is implausibly large");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new IOException("truncated tar metadata: expected " + size + " bytes");
    }
    skipFully(pad);
    return data;
  }

  private void skipFully(long n) throws IOException {
    try {
      in.skipNBytes(n);
    } catch (EOFException e) {
      throw new IOException("truncated tar archive: expected " + n + " more bytes", e);
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void verifyChecksum(byte[] header) throws IOException {
    long stored = parseOctal(header, 148, 8, "checksum");
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      // The checksum field itself counts as eight spaces.
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xFF);
    }
    if (sum != stored) {
      throw new IOException("corrupt tar header: checksum " + stored + ", computed " + sum);
    }
  }

  private static String headerName(byte[] header) {
    String name = cString(header, 0, 100);
    boolean ustar = cString(header, 257, 6).startsWith("ustar");
    String prefix = ustar ? cString(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long parseOctal(byte[] b, int off, int len, String field) throws IOException {
    if ((b[off] & 0x80) != 0) {
      throw new IOException("unsupported base-256 tar " + field + " field");
    }
    long value = 0;
    boolean digits = false;
    for (int i = off; i < off + len; i++) {
      int c = b[i];
      if (c == 0 || (c == ' ' && digits)) {
        break;
      }
      if (c == ' ') {
        continue;
      }
      if (c < '0' || c > '7') {
        throw new IOException("corrupt tar header: non-octal " + field + " field");
      }
      value = value * 8 + (c - '0');
      digits = true;
    }
    return value;
  }

  private static long parseDecimal(String s) throws IOException {
    try {
      long v = Long.parseLong(s.trim());
      if (v < 0) {
        throw new NumberFormatException("negative");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IOException("corrupt pax size record: " + s, e);
    }
  }

  /** Returns the last value of {@code key} in pax records ("LEN key=value\n"), or {@code dflt}. */
  private static String paxValue(byte[] bytes, String key, String dflt) throws IOException {
    String value = dflt;
    int pos = 0;
    while (pos < bytes.length) {
      int space = pos;
      while (space < bytes.length && bytes[space] != ' ') {
        space++;
      }
      long len = parseDecimal(new String(bytes, pos, space - pos, StandardCharsets.US_ASCII));
      if (len < space - pos + 2 || pos + len > bytes.length) {
        throw new IOException("corrupt pax record at offset " + pos);
      }
      String record =
          new String(bytes, space + 1, (int) (pos + len - space - 2), StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0 && record.substring(0, eq).equals(key)) {
        value = record.substring(eq + 1);
      }
      pos += (int) len;
    }
    return value;
  }
}
