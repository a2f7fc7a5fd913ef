package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the binary version of CIFAR-10 and CIFAR-100 (Krizhevsky 2009, "Learning multiple layers
 * of features from tiny images"; format as described on the data set's page, "Binary version"):
 * fixed-size records of label bytes followed by a 32x32 colour image stored channels first, the
 * 1,024 red values, then green, then blue, each row after row. This reader turns them into the
 * library's channels-last layout with pixels scaled to [0, 1].
 *
 * <pre>{@code
 * Dataset train = Cifar.load(List.of(dir.resolve("data_batch_1.bin"), ...), Cifar.Format.CIFAR_10);
 * Dataset test = Cifar.load(List.of(dir.resolve("test_batch.bin")), Cifar.Format.CIFAR_10);
 * }</pre>
 */
public final class Cifar {

  /** Height and width of every CIFAR image, in pixels. */
  public static final int IMAGE_SIDE = 32;

  /** Colour channels of every CIFAR image. */
  public static final int CHANNELS = 3;

  private static final int PIXELS = IMAGE_SIDE * IMAGE_SIDE;

  /** The CIFAR-10 class names in label order, as in the data set's {@code batches.meta.txt}. */
  public static final List<String> CIFAR_10_CLASSES = List.of("airplane", "automobile", "bird",
      "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  /** The record layouts: how many label bytes precede the image, and which one is the label. */
  public enum Format {
    /** CIFAR-10: one label byte, classes 0 to 9. */
    CIFAR_10(1, 0, 10),
    /** CIFAR-100 with its 100 fine labels (the second of two label bytes). */
    CIFAR_100_FINE(2, 1, 100),
    /** CIFAR-100 with its 20 coarse labels (the first of two label bytes). */
    CIFAR_100_COARSE(2, 0, 20);

    private final int labelBytes;
    private final int labelIndex;
    private final int numClasses;

    Format(int labelBytes, int labelIndex, int numClasses) {
      this.labelBytes = labelBytes;
      this.labelIndex = labelIndex;
      this.numClasses = numClasses;
    }

    /** Returns the number of classes. */
    public int numClasses() {
      return numClasses;
    }

    /** Returns the size of one record in bytes: the label bytes and 3,072 pixel bytes. */
    public int recordBytes() {
      return labelBytes + CHANNELS * PIXELS;
    }
  }

  private Cifar() {}

  /**
   * Reads the records of {@code files}, in order, into one data set of 32x32x3 images.
   *
   * @param files one or more CIFAR binary files, such as {@code data_batch_1.bin} .. {@code
   *     data_batch_5.bin}
   * @param format the record layout
   * @throws DataFileException if a file is empty, its size is not a whole number of records, or a
   *     label is outside [0, classes); the message names the file
   * @throws IOException if a file cannot be read
   */
  public static Dataset load(List<Path> files, Format format) throws IOException {
    checkNotNull(format, "format");
    checkArgument(files != null && !files.isEmpty(), "files must name at least one file");
    long total = 0;
    for (Path file : files) {
      total += records(file, format);
    }
    checkArgument(total * CHANNELS * PIXELS <= Integer.MAX_VALUE,
        "%s records of 32x32x3 exceed one float array", total);
    int n = (int) total;
    float[] images = new float[n * CHANNELS * PIXELS];
    int[] labels = new int[n];
    int next = 0;
    byte[] record = new byte[format.recordBytes()];
    for (Path file : files) {
      int start = next;
      try (InputStream in = Files.newInputStream(file)) {
        for (int r = 0; next < n && in.readNBytes(record, 0, record.length) == record.length;
            r++, next++) {
          int label = Byte.toUnsignedInt(record[format.labelIndex]);
          if (label >= format.numClasses) {
            throw new DataFileException(file, String.format(
                "record %d has label %d, outside [0, %d) for %s", r, label, format.numClasses,
                format));
          }
          labels[next] = label;
          toChannelsLast(record, format.labelBytes, images, next * CHANNELS * PIXELS);
        }
      }
      if (next - start != records(file, format)) {
        throw new DataFileException(file, "changed while being read");
      }
    }
    return Dataset.wrapValidated(images, labels, IMAGE_SIDE, IMAGE_SIDE, CHANNELS,
        format.numClasses);
  }

  /** Returns the number of records in {@code file}, checking its size. */
  private static long records(Path file, Format format) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such CIFAR file");
    }
    long size = Files.size(file);
    if (size == 0 || size % format.recordBytes() != 0) {
      throw new DataFileException(file, String.format(
          "size %d bytes is not a positive whole number of %d-byte %s records (%d whole records"
              + " and %d bytes left over)", size, format.recordBytes(), format,
          size / format.recordBytes(), size % format.recordBytes()));
    }
    return size / format.recordBytes();
  }

  /** Writes one channels-first record as channels-last floats in [0, 1]. */
  private static void toChannelsLast(byte[] record, int from, float[] images, int to) {
    for (int p = 0; p < PIXELS; p++) {
      for (int c = 0; c < CHANNELS; c++) {
        images[to + p * CHANNELS + c] =
            Byte.toUnsignedInt(record[from + c * PIXELS + p]) / 255f;
      }
    }
  }
}
