package org.fwprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CifarTest {

  /** Pixels are bytes over 255; float division is exact to well under this. */
  private static final float PIXEL_TOLERANCE = 1e-6f;

  private static final int PIXELS = 32 * 32;

  @TempDir Path dir;

  /**
   * Writes records whose pixel (channel c, position p) of record r holds {@code (r + 3p + c) mod
   * 256}, so that every channel and position is told apart, with the given label bytes.
   */
  private Path write(String name, int[][] labelBytes) throws IOException {
    int labelCount = labelBytes[0].length;
    byte[] data = new byte[labelBytes.length * (labelCount + 3 * PIXELS)];
    int at = 0;
    for (int r = 0; r < labelBytes.length; r++) {
      for (int label : labelBytes[r]) {
        data[at++] = (byte) label;
      }
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < PIXELS; p++) {
          data[at++] = (byte) (r + 3 * p + c);
        }
      }
    }
    return Files.write(dir.resolve(name), data);
  }

  private static float expectedPixel(int r, int p, int c) {
    return ((r + 3 * p + c) & 0xff) / 255f;
  }

  @Test
  void load_cifar10Records_convertsChannelsFirstToChannelsLast() throws IOException {
    Path file = write("data_batch_1.bin", new int[][] {{7}, {2}});

    Dataset data = Cifar.load(List.of(file), Cifar.Format.CIFAR_10);

    assertEquals(2, data.size());
    assertEquals(32, data.height());
    assertEquals(32, data.width());
    assertEquals(3, data.channels());
    assertEquals(10, data.numClasses());
    assertArrayEquals(new int[] {7, 2}, data.labels());
    for (int r = 0; r < 2; r++) {
      float[] image = data.image(r);
      for (int p = 0; p < PIXELS; p++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(expectedPixel(r, p, c), image[p * 3 + c], PIXEL_TOLERANCE,
              "record " + r + " pixel " + p + " channel " + c);
        }
      }
    }
  }

  @Test
  void load_severalFiles_concatenatesInOrder() throws IOException {
    Path a = write("a.bin", new int[][] {{1}});
    Path b = write("b.bin", new int[][] {{5}, {9}});

    Dataset data = Cifar.load(List.of(a, b), Cifar.Format.CIFAR_10);

    assertArrayEquals(new int[] {1, 5, 9}, data.labels());
  }

  @Test
  void load_cifar100Fine_takesSecondLabelByte() throws IOException {
    Path file = write("train.bin", new int[][] {{19, 99}, {3, 42}});

    Dataset fine = Cifar.load(List.of(file), Cifar.Format.CIFAR_100_FINE);
    Dataset coarse = Cifar.load(List.of(file), Cifar.Format.CIFAR_100_COARSE);

    assertArrayEquals(new int[] {99, 42}, fine.labels());
    assertEquals(100, fine.numClasses());
    assertArrayEquals(new int[] {19, 3}, coarse.labels());
    assertEquals(20, coarse.numClasses());
    assertEquals(expectedPixel(1, 5, 2), fine.image(1)[5 * 3 + 2], PIXEL_TOLERANCE);
  }

  @ParameterizedTest
  @EnumSource(Cifar.Format.class)
  void load_sizeNotWholeRecords_throwsNamingFileAndSizes(Cifar.Format format) throws IOException {
    Path file = dir.resolve("cut.bin");
    Files.write(file, new byte[format.recordBytes() + 10]);

    DataFileException e = assertThrows(DataFileException.class,
        () -> Cifar.load(List.of(file), format));

    assertEquals(file, e.file());
    assertTrue(e.getMessage().contains((format.recordBytes() + 10) + " bytes")
        && e.getMessage().contains(format.recordBytes() + "-byte"), e.getMessage());
  }

  @Test
  void load_emptyFile_throwsNamingFile() throws IOException {
    Path file = Files.write(dir.resolve("empty.bin"), new byte[0]);

    DataFileException e = assertThrows(DataFileException.class,
        () -> Cifar.load(List.of(file), Cifar.Format.CIFAR_10));

    assertEquals(file, e.file());
  }

  @Test
  void load_labelOutOfRange_throwsNamingFileRecordAndRange() throws IOException {
    Path file = write("bad.bin", new int[][] {{3}, {10}});

    DataFileException e = assertThrows(DataFileException.class,
        () -> Cifar.load(List.of(file), Cifar.Format.CIFAR_10));

    assertEquals(file, e.file());
    assertTrue(e.getMessage().contains("record 1 has label 10, outside [0, 10)"), e.getMessage());
  }

  @Test
  void load_missingFile_throwsNoSuchFile() {
    assertThrows(NoSuchFileException.class,
        () -> Cifar.load(List.of(dir.resolve("absent.bin")), Cifar.Format.CIFAR_10));
  }
}
