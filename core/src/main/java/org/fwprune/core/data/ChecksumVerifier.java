package org.fwprune.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Checks fetched files against the MD5 of their decompressed content, so that copies with other
 * gzip wrappers pass and corrupt or substituted ones do not, and bounds how much a source may send.
 */
final class ChecksumVerifier {

  /** Far above the largest MNIST file (47 MB decompressed); guards against endless responses. */
  static final long MAX_FILE_BYTES = 256L << 20;

  private static final int BUFFER = 1 << 16;

  private final Map<String, String> md5;

  /** Checks against {@code md5}, base file name to lower-case hex MD5. */
  ChecksumVerifier(Map<String, String> md5) {
    this.md5 = Map.copyOf(md5);
  }

  /**
   * Checks that {@code file}, decompressed first if it starts with the gzip magic, has the MD5
   * listed for {@code name}.
   *
   * @throws BadContentException if the content differs, is too large or is corrupt gzip
   */
  void verify(Path file, String name) throws IOException {
    MessageDigest digest = md5Digest();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream in = gzip ? new GZIPInputStream(raw, BUFFER) : raw;
      pump(in, "decompresses to more than", digest::update);
    } catch (BadContentException e) {
      throw e;
    } catch (IOException e) {
      throw new BadContentException("corrupt gzip data (" + e.getMessage() + ")", e);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    String expected = md5.get(name);
    if (!actual.equals(expected)) {
      throw new BadContentException("MD5 of the decompressed content is " + actual
          + ", expected " + expected + " for " + name);
    }
  }

  /**
   * Copies {@code in} to {@code out}, failing once more than {@link #MAX_FILE_BYTES} arrived.
   *
   * @throws BadContentException if the stream is too long
   */
  static void copyCapped(InputStream in, OutputStream out) throws IOException {
    pump(in, "larger than", out::write);
  }

  /** Receives the chunks of a stream. */
  @FunctionalInterface
  private interface Chunks {
    void accept(byte[] buffer, int offset, int length) throws IOException;
  }

  /** Reads {@code in} to its end into {@code sink}, failing beyond {@link #MAX_FILE_BYTES}. */
  private static void pump(InputStream in, String tooLarge, Chunks sink) throws IOException {
    byte[] buf = new byte[BUFFER];
    long total = 0;
    for (int r = in.read(buf); r != -1; r = in.read(buf)) {
      total += r;
      if (total > MAX_FILE_BYTES) {
        throw new BadContentException(tooLarge + " " + MAX_FILE_BYTES + " bytes");
      }
      sink.accept(buf, 0, r);
    }
  }

  private static MessageDigest md5Digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must support MD5", e);
    }
  }
}
