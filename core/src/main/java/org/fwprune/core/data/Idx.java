package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads image/label pairs in the IDX format of the MNIST database into a {@link Dataset}.
 *
 * <p>An IDX file holds two zero bytes, a type byte (0x08 unsigned byte, 0x09 signed byte, 0x0B
 * short, 0x0C int, 0x0D float, 0x0E double), a dimension count, that many big-endian int32
 * dimensions and then the big-endian data. Files may be gzip-compressed; compression is detected
 * from the first two bytes (0x1f 0x8b), not from the file name.
 *
 * <p>Image files have 3 dimensions (N, H, W; one channel) or 4 (N, H, W, C) and hold unsigned
 * bytes, scaled by 1/255 into [0, 1], or floats that must already lie in [0, 1]. Label files have
 * one dimension (N) and hold unsigned bytes or ints in [0, numClasses).
 *
 * <p>Any malformed input, whatever its content, raises an {@link IdxFormatException} naming the
 * file; other I/O failures raise an {@link IOException} naming the file. Sizes announced by a
 * header are checked against the data actually present before anything is allocated from them, so a
 * corrupt header cannot cause an {@link OutOfMemoryError}.
 */
public final class Idx {

  /** Number of classes assumed by {@link #load(Path, Path)}: 10, as for MNIST digits. */
  public static final int DEFAULT_NUM_CLASSES = 10;

  /** Most elements (and data bytes) one file may hold: the largest array a JVM reliably makes. */
  static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  /** Initial buffer for gzip data, whose decompressed size is unknown until read. */
  private static final int GZIP_CHUNK = 1 << 20;

  /** Trailing bytes beyond this many are reported as "more than". */
  private static final long TRAILING_COUNT_CAP = 1 << 20;

  private static final int IO_BUFFER = 1 << 16;

  private Idx() {}

  /**
   * Loads an image file and a label file with {@link #DEFAULT_NUM_CLASSES} classes.
   *
   * @param images IDX image file, raw or gzipped
   * @param labels IDX label file, raw or gzipped, with one label per image
   * @return the images, scaled to [0, 1], with their labels
   * @throws IdxFormatException if either file is malformed or they disagree in count
   * @throws IOException if a file is missing or cannot be read
   */
  public static Dataset load(Path images, Path labels) throws IOException {
    return load(images, labels, DEFAULT_NUM_CLASSES);
  }

  /**
   * Loads an image file and a label file whose labels lie in [0, numClasses).
   *
   * @param images IDX image file, raw or gzipped
   * @param labels IDX label file, raw or gzipped, with one label per image
   * @param numClasses number of classes, at least 1
   * @return the images, scaled to [0, 1], with their labels
   * @throws IllegalArgumentException if {@code numClasses < 1}
   * @throws IdxFormatException if either file is malformed, a label is out of range, or the files
   *     disagree in count
   * @throws IOException if a file is missing or cannot be read
   */
  public static Dataset load(Path images, Path labels, int numClasses) throws IOException {
    checkNotNull(images, "images");
    checkNotNull(labels, "labels");
    checkArgument(numClasses >= 1, "numClasses must be at least 1, got %s", numClasses);
    try (IdxFile labelFile = IdxFile.open(labels, Role.LABELS);
        IdxFile imageFile = IdxFile.open(images, Role.IMAGES)) {
      int labelCount = labelFile.dims[0];
      int imageCount = imageFile.dims[0];
      if (labelCount != imageCount) {
        throw new IdxFormatException(
            images,
            String.format(
                "holds %d images but label file %s holds %d labels; expected equal counts",
                imageCount, labels, labelCount));
      }
      int[] labelValues = guarded(labels, () -> labelFile.readLabels(numClasses));
      float[] pixels = guarded(images, imageFile::readImages);
      int[] d = imageFile.dims;
      int channels = d.length == 4 ? d[3] : 1;
      return Dataset.wrapValidated(pixels, labelValues, d[1], d[2], channels, numClasses);
    }
  }

  /** An I/O step whose failures {@link #guarded} turns into exceptions naming the file. */
  private interface IoStep<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code step} so that only {@link IOException}s naming {@code file} escape: gzip errors and
   * any runtime exception from parsing become {@link IdxFormatException}s.
   */
  private static <T> T guarded(Path file, IoStep<T> step) throws IOException {
    try {
      return step.run();
    } catch (IdxFormatException e) {
      throw e;
    } catch (ZipException | EOFException e) {
      // Only gzip decompression throws these: our own reads count bytes and never hit EOF.
      String detail =
          e.getMessage() != null
              ? e.getMessage()
              : e instanceof EOFException ? "unexpected end of stream" : e.toString();
      throw new IdxFormatException(file, "corrupt or truncated gzip data: " + detail, e);
    } catch (IOException e) {
      throw new IOException(file + ": cannot read IDX file: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IdxFormatException(file, "malformed content: " + e, e);
    }
  }

  /** What a file is expected to hold. */
  private enum Role {
    IMAGES("an image file", "3 dimensions (N, H, W) or 4 (N, H, W, C)"),
    LABELS("a label file", "1 dimension (N)");

    final String noun;
    final String expectedDims;

    Role(String noun, String expectedDims) {
      this.noun = noun;
      this.expectedDims = expectedDims;
    }

    boolean allowsDims(int ndims) {
      return this == IMAGES ? ndims == 3 || ndims == 4 : ndims == 1;
    }

    boolean allowsType(DataType type) {
      return this == IMAGES
          ? type == DataType.UBYTE || type == DataType.FLOAT
          : type == DataType.UBYTE || type == DataType.INT;
    }

    String allowedTypes() {
      return this == IMAGES
          ? "unsigned byte (0x08) or float (0x0D)"
          : "unsigned byte (0x08) or int (0x0C)";
    }
  }

  /** The element types of the IDX format. */
  private enum DataType {
    UBYTE(0x08, 1, "unsigned byte"),
    BYTE(0x09, 1, "signed byte"),
    SHORT(0x0B, 2, "short"),
    INT(0x0C, 4, "int"),
    FLOAT(0x0D, 4, "float"),
    DOUBLE(0x0E, 8, "double");

    final int code;
    final int bytes;
    final String description;

    DataType(int code, int bytes, String description) {
      this.code = code;
      this.bytes = bytes;
      this.description = description;
    }

    static DataType fromCode(int code) {
      for (DataType t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return null;
    }
  }

  /** One open IDX file, positioned after its validated header. */
  private static final class IdxFile implements Closeable {
    private final Path path;
    private final InputStream in;

    /** Size of the file on disk when uncompressed, else -1 (unknown until decompressed). */
    private final long rawSize;

    private final Role role;
    private DataType type;
    private int[] dims;
    private int headerBytes;
    private int dataBytes;

    private IdxFile(Path path, InputStream in, long rawSize, Role role) {
      this.path = path;
      this.in = in;
      this.rawSize = rawSize;
      this.role = role;
    }

    static IdxFile open(Path path, Role role) throws IOException {
      if (Files.isDirectory(path)) {
        throw new IOException(path + ": is a directory, expected " + role.noun + " in IDX format");
      }
      InputStream raw;
      try {
        raw = Files.newInputStream(path);
      } catch (NoSuchFileException e) {
        NoSuchFileException missing =
            new NoSuchFileException(
                path.toString(), null, "does not exist; expected " + role.noun + " in IDX format");
        missing.initCause(e);
        throw missing;
      } catch (IOException e) {
        throw new IOException(path + ": cannot open: " + e.getMessage(), e);
      }
      try {
        return guarded(
            path,
            () -> {
              BufferedInputStream buffered = new BufferedInputStream(raw, IO_BUFFER);
              buffered.mark(2);
              int b0 = buffered.read();
              int b1 = buffered.read();
              buffered.reset();
              IdxFile file =
                  b0 == 0x1f && b1 == 0x8b
                      ? new IdxFile(path, new GZIPInputStream(buffered, IO_BUFFER), -1, role)
                      : new IdxFile(path, buffered, Files.size(path), role);
              try {
                file.readHeader();
              } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
              }
              return file;
            });
      } catch (IOException | RuntimeException | Error e) {
        // Covers failures before an IdxFile exists (a corrupt gzip header); closing twice is fine.
        try {
          raw.close();
        } catch (IOException closeFailure) {
          e.addSuppressed(closeFailure);
        }
        throw e;
      }
    }

    private IdxFormatException problem(String message, Object... args) {
      return new IdxFormatException(path, String.format(message, args));
    }

    private String shape() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < dims.length; i++) {
        sb.append(i == 0 ? "" : " x ").append(dims[i]);
      }
      return sb.toString();
    }

    private void readHeader() throws IOException {
      byte[] magic = new byte[4];
      int n = readUpTo(in, magic);
      String where = rawSize < 0 ? " after gzip decompression" : "";
      if (n == 0) {
        throw problem("file is empty%s; expected %s in IDX format", where, role.noun);
      }
      if (n < 4) {
        throw problem(
            "truncated header: expected a 4-byte magic number, found %d bytes%s", n, where);
      }
      int magicValue = ByteBuffer.wrap(magic).getInt();
      if (magic[0] != 0 || magic[1] != 0) {
        throw problem(
            "wrong magic number 0x%08X: an IDX file starts with two zero bytes, a type byte and a"
                + " dimension count (MNIST images: 0x00000803, labels: 0x00000801)",
            magicValue);
      }
      type = DataType.fromCode(magic[2] & 0xFF);
      if (type == null) {
        throw problem(
            "unknown data type 0x%02X in magic number 0x%08X; expected 0x08, 0x09, 0x0B, 0x0C,"
                + " 0x0D or 0x0E",
            magic[2] & 0xFF, magicValue);
      }
      int ndims = magic[3] & 0xFF;
      if (!role.allowsDims(ndims)) {
        throw problem(
            "wrong number of dimensions: expected %s for %s, found %d (magic number 0x%08X)",
            role.expectedDims, role.noun, ndims, magicValue);
      }
      if (!role.allowsType(type)) {
        throw problem(
            "unsupported data type %s (0x%02X) for %s; expected %s",
            type.description, type.code, role.noun, role.allowedTypes());
      }
      byte[] dimBytes = new byte[4 * ndims];
      n = readUpTo(in, dimBytes);
      headerBytes = 4 + dimBytes.length;
      if (n < dimBytes.length) {
        throw problem(
            "truncated header: expected %d bytes (magic number and %d dimensions), found %d",
            headerBytes, ndims, 4 + n);
      }
      IntBuffer dimInts = ByteBuffer.wrap(dimBytes).asIntBuffer();
      dims = new int[ndims];
      dimInts.get(dims);
      for (int i = 0; i < ndims; i++) {
        if (dims[i] <= 0) {
          throw problem("dimension %d of %d is %d; expected a positive size", i, ndims, dims[i]);
        }
      }
      // Each factor is below 2^31 and the running product is capped below 2^31, so the long
      // multiplication cannot overflow.
      long elements = 1;
      for (int d : dims) {
        elements *= d;
        if (elements > MAX_ARRAY_LENGTH) {
          throw problem(
              "shape %s has more than %d elements, the most that can be loaded",
              shape(), MAX_ARRAY_LENGTH);
        }
      }
      long bytes = elements * type.bytes;
      if (bytes > MAX_ARRAY_LENGTH) {
        throw problem(
            "shape %s of %s needs %d data bytes, more than the %d that can be loaded",
            shape(), type.description, bytes, MAX_ARRAY_LENGTH);
      }
      dataBytes = (int) bytes;
    }

    /**
     * Reads exactly the data the header announced, failing on truncation or trailing bytes. The
     * buffer grows only as data actually arrives, so a lying header costs no memory.
     */
    private byte[] readData() throws IOException {
      if (rawSize >= 0) {
        long present = rawSize - headerBytes;
        if (present < dataBytes) {
          throw truncated(present);
        }
        if (present > dataBytes) {
          throw trailing(Long.toString(present - dataBytes));
        }
      }
      byte[] buf = new byte[rawSize >= 0 ? dataBytes : Math.min(dataBytes, GZIP_CHUNK)];
      int filled = 0;
      while (true) {
        if (filled == buf.length) {
          if (filled == dataBytes) {
            break;
          }
          buf = Arrays.copyOf(buf, (int) Math.min(dataBytes, 2L * buf.length));
        }
        int r = in.read(buf, filled, buf.length - filled);
        if (r < 0) {
          throw truncated(filled);
        }
        filled += r;
      }
      // Reading to the end also makes a gzip stream verify its CRC trailer.
      long extra = 0;
      byte[] sink = new byte[8192];
      int r;
      while (extra <= TRAILING_COUNT_CAP && (r = in.read(sink)) != -1) {
        extra += r;
      }
      if (extra > 0) {
        throw trailing(extra > TRAILING_COUNT_CAP ? "more than " + TRAILING_COUNT_CAP : "" + extra);
      }
      return buf;
    }

    private IdxFormatException truncated(long found) {
      return problem(
          "truncated data: expected %d bytes (%s of %s) after the %d-byte header, found %d",
          dataBytes, shape(), type.description, headerBytes, found);
    }

    private IdxFormatException trailing(String count) {
      return problem(
          "trailing garbage: %s bytes after the %d data bytes of shape %s of %s",
          count, dataBytes, shape(), type.description);
    }

    int[] readLabels(int numClasses) throws IOException {
      byte[] data = readData();
      int[] labels = new int[dims[0]];
      if (type == DataType.UBYTE) {
        for (int i = 0; i < labels.length; i++) {
          labels[i] = data[i] & 0xFF;
        }
      } else {
        ByteBuffer.wrap(data).asIntBuffer().get(labels);
      }
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] < 0 || labels[i] >= numClasses) {
          throw problem(
              "label at index %d is %d; expected a value in [0, %d)", i, labels[i], numClasses);
        }
      }
      return labels;
    }

    float[] readImages() throws IOException {
      byte[] data = readData();
      float[] pixels;
      if (type == DataType.UBYTE) {
        pixels = new float[data.length];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (data[i] & 0xFF) / 255f;
        }
      } else {
        FloatBuffer floats = ByteBuffer.wrap(data).asFloatBuffer();
        pixels = new float[floats.remaining()];
        floats.get(pixels);
        int imageSize = pixels.length / dims[0];
        for (int i = 0; i < pixels.length; i++) {
          float v = pixels[i];
          // Negated so that NaN fails too.
          if (!(v >= 0f && v <= 1f)) {
            throw problem(
                "pixel %d (image %d) is %s; float images must hold finite values in [0, 1]",
                i, i / imageSize, v);
          }
        }
      }
      return pixels;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Reads until {@code buf} is full or the stream ends; returns the bytes read. */
  private static int readUpTo(InputStream in, byte[] buf) throws IOException {
    int filled = 0;
    while (filled < buf.length) {
      int r = in.read(buf, filled, buf.length - filled);
      if (r < 0) {
        break;
      }
      filled += r;
    }
    return filled;
  }
}
