package org.fwprune.core.data;

import static org.fwprune.core.data.TestFiles.dims;
import static org.fwprune.core.data.TestFiles.floatIdx;
import static org.fwprune.core.data.TestFiles.gzip;
import static org.fwprune.core.data.TestFiles.idx;
import static org.fwprune.core.data.TestFiles.intIdx;
import static org.fwprune.core.data.TestFiles.ubyteIdx;
import static org.fwprune.core.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {

  @TempDir Path dir;

  /** Two 2x2 images with pixels 0, 51, 102, 255 and 255, 0, 128, 1; labels 3 and 9. */
  private static final byte[] IMAGES = ubyteIdx(dims(2, 2, 2), 0, 51, 102, 255, 255, 0, 128, 1);

  private static final byte[] LABELS = ubyteIdx(dims(2), 3, 9);

  private static void assertMessageContains(Throwable e, String... fragments) {
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "expected '" + f + "' in: " + e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void load_unsignedBytes_scaledBy255WithShapeAndLabels(boolean gzipped) throws IOException {
    Path i = write(dir, "images", IMAGES, gzipped);
    Path l = write(dir, "labels", LABELS, gzipped);
    Dataset d = Idx.load(i, l);
    assertEquals("Dataset[size=2, shape=2x2x1, classes=10]", d.toString());
    // Expected values: byte / 255, computed by hand.
    assertArrayEquals(new float[] {0f, 0.2f, 0.4f, 1f}, d.image(0), 1e-6f);
    assertArrayEquals(new float[] {1f, 0f, 128 / 255f, 1 / 255f}, d.image(1), 1e-6f);
    assertArrayEquals(new int[] {3, 9}, d.labels());
  }

  @Test
  void load_gzipDetectedByMagicBytesNotByName() throws IOException {
    Path gzippedWithRawName = Files.write(dir.resolve("images-idx3-ubyte"), gzip(IMAGES));
    Path rawWithGzName = Files.write(dir.resolve("labels-idx1-ubyte.gz"), LABELS);
    Dataset d = Idx.load(gzippedWithRawName, rawWithGzName);
    assertEquals(2, d.size());
    assertArrayEquals(new int[] {3, 9}, d.labels());
  }

  @Test
  void load_fourDimensionalImages_keepChannelsInNhwcOrder() throws IOException {
    // One 1x2 image with 3 channels: pixel 0 = (0, 255, 51), pixel 1 = (102, 0, 255).
    Path i = write(dir, "images", ubyteIdx(dims(1, 1, 2, 3), 0, 255, 51, 102, 0, 255), true);
    Path l = write(dir, "labels", ubyteIdx(dims(1), 4), false);
    Dataset d = Idx.load(i, l);
    assertEquals(1, d.height());
    assertEquals(2, d.width());
    assertEquals(3, d.channels());
    assertArrayEquals(new float[] {0f, 1f, 0.2f, 0.4f, 0f, 1f}, d.image(0), 1e-6f);
  }

  @Test
  void load_floatImagesInUnitRange_keptExactly() throws IOException {
    float[] pixels = {0f, 0.25f, 1f, 0.123456f};
    Dataset d = loadOneImageWithLabel(floatIdx(dims(1, 2, 2), pixels));
    assertArrayEquals(pixels, d.image(0));
    assertEquals(1, d.size());
    assertEquals(
        1,
        Idx.load(
                write(dir, "i2", floatIdx(dims(1, 1, 1), 0.5f), true),
                write(dir, "l2", ubyteIdx(dims(1), 0), true))
            .size());
  }

  private Dataset loadOneImageWithLabel(byte[] images) throws IOException {
    Path i = write(dir, "images", images, false);
    Path l = write(dir, "labels", ubyteIdx(dims(1), 0), false);
    return Idx.load(i, l);
  }

  @ParameterizedTest
  @ValueSource(
      floats = {Float.NaN, -0.001f, 1.001f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
  void load_floatImagesOutsideUnitRange_throwsNamingFileAndPixel(float bad) {
    IdxFormatException e =
        assertThrows(
            IdxFormatException.class,
            () -> loadOneImageWithLabel(floatIdx(dims(1, 1, 3), 0.5f, bad, 0f)));
    assertMessageContains(
        e, dir.resolve("images").toString(), "pixel 1 (image 0) is " + bad, "[0, 1]");
    assertEquals(dir.resolve("images"), e.file());
  }

  @Test
  void load_intLabels_accepted() throws IOException {
    Path i = write(dir, "images", IMAGES, false);
    Path l = write(dir, "labels", intIdx(dims(2), 7, 0), false);
    assertArrayEquals(new int[] {7, 0}, Idx.load(i, l).labels());
  }

  @Test
  void load_labelsWithinCustomNumClasses_accepted() throws IOException {
    Path i = write(dir, "images", IMAGES, false);
    Path l = write(dir, "labels", ubyteIdx(dims(2), 0, 99), false);
    Dataset d = Idx.load(i, l, 100);
    assertEquals(100, d.numClasses());
    assertEquals(1, d.classCounts()[99]);
  }

  @Test
  void load_labelAtNumClasses_throwsNamingFileIndexAndValue() throws IOException {
    Path i = write(dir, "images", IMAGES, false);
    Path l = write(dir, "labels", ubyteIdx(dims(2), 3, 9), true);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.load(i, l, 9));
    assertMessageContains(e, l.toString(), "label at index 1 is 9", "[0, 9)");
    assertEquals(l, e.file());
  }

  @Test
  void load_negativeIntLabel_throwsNamingFileIndexAndValue() throws IOException {
    Path i = write(dir, "images", IMAGES, false);
    Path l = write(dir, "labels", intIdx(dims(2), -5, 0), false);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.load(i, l));
    assertMessageContains(e, l.toString(), "label at index 0 is -5", "[0, 10)");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void load_numClassesBelowOne_throwsIllegalArgument(int numClasses) throws IOException {
    Path i = write(dir, "images", IMAGES, false);
    Path l = write(dir, "labels", LABELS, false);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Idx.load(i, l, numClasses));
    assertMessageContains(e, "numClasses must be at least 1, got " + numClasses);
  }

  /** Malformed image files: description, content, expected message fragment. */
  static Stream<Arguments> malformedImages() {
    byte[] threeDimsHeaderOnly = Arrays.copyOf(idx(0x08, dims(2, 2, 2), new byte[0]), 12);
    return Stream.of(
        Arguments.of("empty", new byte[0], "file is empty"),
        Arguments.of(
            "3 bytes",
            new byte[] {0, 0, 8},
            "truncated header: expected a 4-byte magic number, found 3 bytes"),
        Arguments.of(
            "nonzero first byte",
            new byte[] {1, 0, 8, 3, 0, 0, 0, 1},
            "wrong magic number 0x01000803"),
        Arguments.of(
            "nonzero second byte", new byte[] {0, 7, 8, 3}, "wrong magic number 0x00070803"),
        Arguments.of(
            "unknown type", idx(0x07, dims(2, 2, 2), new byte[8]), "unknown data type 0x07"),
        Arguments.of(
            "ndims 2",
            ubyteIdx(dims(2, 4), 0, 0, 0, 0, 0, 0, 0, 0),
            "expected 3 dimensions (N, H, W) or 4 (N, H, W, C) for an image file, found 2"),
        Arguments.of("ndims 0", new byte[] {0, 0, 8, 0}, "found 0"),
        Arguments.of("ndims 5", ubyteIdx(dims(2, 1, 1, 1, 1), 0, 0), "found 5"),
        Arguments.of("ndims 255", new byte[] {0, 0, 8, (byte) 255}, "found 255"),
        Arguments.of(
            "dims cut short",
            threeDimsHeaderOnly,
            "truncated header: expected 16 bytes (magic number and 3 dimensions), found 12"),
        Arguments.of(
            "zero height",
            ubyteIdx(dims(2, 0, 2)),
            "dimension 1 of 3 is 0; expected a positive size"),
        Arguments.of("negative count", ubyteIdx(dims(-1, 2, 2)), "dimension 0 of 3 is -1"),
        Arguments.of(
            "huge count",
            ubyteIdx(dims(Integer.MAX_VALUE, 28, 28)),
            "shape 2147483647 x 28 x 28 has more than 2147483639 elements"),
        Arguments.of(
            "int overflow",
            ubyteIdx(dims(65536, 256, 256, 1)),
            "has more than 2147483639 elements"),
        Arguments.of(
            "float bytes too many", floatIdx(dims(1, 30000, 30000)), "needs 3600000000 data bytes"),
        Arguments.of(
            "short type",
            idx(0x0B, dims(2, 2, 2), new byte[16]),
            "unsupported data type short (0x0B) for an image file"),
        Arguments.of(
            "signed byte type",
            idx(0x09, dims(2, 2, 2), new byte[8]),
            "unsupported data type signed byte"),
        Arguments.of(
            "int type", idx(0x0C, dims(2, 2, 2), new byte[32]), "unsupported data type int"),
        Arguments.of(
            "double type", idx(0x0E, dims(2, 2, 2), new byte[64]), "unsupported data type double"),
        Arguments.of(
            "data cut short",
            ubyteIdx(dims(2, 2, 2), 1, 2, 3, 4, 5),
            "truncated data: expected 8 bytes (2 x 2 x 2 of unsigned byte) after the 16-byte"
                + " header, found 5"),
        Arguments.of("no data", ubyteIdx(dims(2, 2, 2)), "found 0"),
        Arguments.of(
            "float data cut short",
            idx(0x0D, dims(2, 1, 1), new byte[7]),
            "expected 8 bytes (2 x 1 x 1 of float)"),
        Arguments.of(
            "trailing byte",
            ubyteIdx(dims(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8, 9),
            "trailing garbage: 1 bytes after the 8 data bytes"));
  }

  @ParameterizedTest(name = "{0}, gzipped={3}")
  @MethodSource("malformedImagesBothForms")
  void load_malformedImageFile_throwsNamingFileAndProblem(
      String description, byte[] content, String message, boolean gzipped) throws IOException {
    Path i = write(dir, "bad-images", content, gzipped);
    Path l = write(dir, "labels", LABELS, false);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.load(i, l));
    assertMessageContains(e, i.toString(), message);
    assertEquals(i, e.file());
  }

  static Stream<Arguments> malformedImagesBothForms() {
    return malformedImages()
        .flatMap(
            a ->
                Stream.of(false, true)
                    .map(gz -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], gz)));
  }

  static Stream<Arguments> malformedLabels() {
    return Stream.of(
        Arguments.of("empty", new byte[0], "file is empty"),
        Arguments.of(
            "ndims 3",
            ubyteIdx(dims(2, 1, 1), 1, 2),
            "expected 1 dimension (N) for a label file, found 3"),
        Arguments.of(
            "float type",
            floatIdx(dims(2), 1, 2),
            "unsupported data type float (0x0D) for a label file; expected unsigned byte (0x08) or"
                + " int (0x0C)"),
        Arguments.of("truncated", ubyteIdx(dims(2), 1), "truncated data: expected 2 bytes"),
        Arguments.of("trailing", ubyteIdx(dims(2), 1, 2, 3, 4), "trailing garbage: 2 bytes"),
        Arguments.of(
            "int labels cut short", idx(0x0C, dims(2), new byte[6]), "expected 8 bytes (2 of int)"),
        Arguments.of("zero count", ubyteIdx(dims(0)), "dimension 0 of 1 is 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedLabels")
  void load_malformedLabelFile_throwsNamingFileAndProblem(
      String description, byte[] content, String message) throws IOException {
    for (boolean gzipped : new boolean[] {false, true}) {
      Path i = write(dir, "images", IMAGES, false);
      Path l = write(dir, "bad-labels", content, gzipped);
      IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.load(i, l));
      assertMessageContains(e, l.toString(), message);
    }
  }

  @Test
  void load_countMismatch_namesBothFilesAndCounts() throws IOException {
    Path i = write(dir, "images", IMAGES, false);
    Path l = write(dir, "labels", ubyteIdx(dims(3), 1, 2, 3), false);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.load(i, l));
    assertMessageContains(e, i.toString(), "holds 2 images", l.toString(), "holds 3 labels");
  }

  @Test
  void load_missingFile_throwsNoSuchFileNamingIt() throws IOException {
    Path l = write(dir, "labels", LABELS, false);
    Path missing = dir.resolve("no-such-images");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Idx.load(missing, l));
    assertMessageContains(e, missing.toString(), "does not exist");
  }

  @Test
  void load_directoryInsteadOfFile_throwsNamingIt() throws IOException {
    Path l = write(dir, "labels", LABELS, false);
    IOException e = assertThrows(IOException.class, () -> Idx.load(dir, l));
    assertMessageContains(e, dir.toString(), "is a directory");
  }

  static Stream<Arguments> brokenGzip() {
    byte[] good = gzip(IMAGES);
    byte[] badHeader = good.clone();
    badHeader[2] = 99; // compression method other than deflate
    byte[] badCrc = good.clone();
    badCrc[good.length - 6] ^= 0x55; // inside the CRC-32 of the trailer
    byte[] badLength = good.clone();
    badLength[good.length - 3] ^= 0x55; // inside ISIZE of the trailer
    byte[] garbageBody = good.clone();
    for (int k = 10; k < good.length - 8; k++) {
      garbageBody[k] = (byte) 0xFF;
    }
    return Stream.of(
        Arguments.of("gzip magic only", new byte[] {0x1f, (byte) 0x8b}),
        Arguments.of("header cut", Arrays.copyOf(good, 6)),
        Arguments.of("bad method", badHeader),
        Arguments.of("body cut", Arrays.copyOf(good, good.length / 2)),
        Arguments.of("trailer cut", Arrays.copyOf(good, good.length - 4)),
        Arguments.of("bad crc", badCrc),
        Arguments.of("bad length", badLength),
        Arguments.of("garbage body", garbageBody));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenGzip")
  void load_brokenGzip_throwsIdxFormatExceptionNamingFile(String description, byte[] content)
      throws IOException {
    Path i = Files.write(dir.resolve("images.gz"), content);
    Path l = write(dir, "labels", LABELS, false);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.load(i, l));
    assertMessageContains(e, i.toString());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void load_headerClaimingTwoBillionPixels_failsFastAsTruncated(boolean gzipped)
      throws IOException {
    // 2,551,020 x 28 x 28 = 1,999,999,680 elements: a legal header that would need ~10 GB as
    // floats; the loader must notice that the data is missing before allocating anything.
    Path i = write(dir, "images", ubyteIdx(dims(2_551_020, 28, 28), 1, 2, 3), gzipped);
    Path l = write(dir, "labels", idx(0x08, dims(2_551_020), new byte[0]), gzipped);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.load(i, l));
    assertMessageContains(e, l.toString(), "truncated data: expected 2551020 bytes", "found 0");
  }

  @Test
  void load_bigHeaderWithLabelsPresent_stillFailsOnImagesAsTruncated() throws IOException {
    int n = 2_551_020;
    Path i = write(dir, "images", ubyteIdx(dims(n, 28, 28), 1, 2, 3), true);
    Path l = write(dir, "labels", idx(0x08, dims(n), new byte[n]), true);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.load(i, l));
    assertMessageContains(e, i.toString(), "expected 1999999680 bytes", "found 3");
  }

  /**
   * A small fuzz run: random byte flips, cuts, insertions and appends on valid raw and gzipped
   * files. Each result must be a data set or an IOException naming the mutated file.
   */
  @Test
  void load_randomlyMutatedFiles_loadOrThrowIOExceptionNamingFile() throws IOException {
    Random random = new Random(20240611L);
    byte[] images = ubyteIdx(dims(3, 3, 2), new int[18]);
    byte[] labels = ubyteIdx(dims(3), 1, 2, 3);
    byte[] floatImages = floatIdx(dims(3, 1, 1, 2), 0f, 0.5f, 1f, 0.25f, 0.75f, 0.1f);
    byte[] intLabels = intIdx(dims(3), 1, 2, 3);
    byte[][] imageSources = {images, gzip(images), floatImages, gzip(floatImages)};
    byte[][] labelSources = {labels, gzip(labels), intLabels, gzip(intLabels)};
    int loaded = 0;
    for (int iteration = 0; iteration < 1000; iteration++) {
      boolean mutateImages = random.nextBoolean();
      byte[] img = imageSources[random.nextInt(4)];
      byte[] lab = labelSources[random.nextInt(4)];
      if (mutateImages) {
        img = mutate(img, random);
      } else {
        lab = mutate(lab, random);
      }
      Path i = Files.write(dir.resolve("fuzz-images"), img);
      Path l = Files.write(dir.resolve("fuzz-labels"), lab);
      Path target = mutateImages ? i : l;
      try {
        Dataset d = Idx.load(i, l, 256);
        assertEquals(3, d.size());
        loaded++;
      } catch (IOException e) {
        assertTrue(
            e.getMessage().contains(target.toString()),
            () -> "iteration message lacks the file name: " + e);
      } catch (RuntimeException | Error e) {
        fail("iteration escaped with " + e, e);
      }
    }
    assertTrue(loaded > 0, "some mutations (e.g. pixel changes) must still load");
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] b = original.clone();
    switch (random.nextInt(5)) {
      case 0 -> {
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
          int pos = random.nextInt(b.length);
          b[pos] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 1 -> {
        return Arrays.copyOf(b, random.nextInt(b.length));
      }
      case 2 -> {
        byte[] longer = Arrays.copyOf(b, b.length + 1 + random.nextInt(8));
        for (int k = b.length; k < longer.length; k++) {
          longer[k] = (byte) random.nextInt(256);
        }
        return longer;
      }
      case 3 -> {
        int pos = random.nextInt(b.length);
        byte[] inserted = new byte[b.length + 1];
        System.arraycopy(b, 0, inserted, 0, pos);
        inserted[pos] = (byte) random.nextInt(256);
        System.arraycopy(b, pos, inserted, pos + 1, b.length - pos);
        return inserted;
      }
      default -> {
        // Header field overwrite with an extreme int, where the interesting bugs live.
        int pos = random.nextInt(Math.max(1, Math.min(b.length, 20) - 3));
        int[] extremes = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, 65536};
        ByteBuffer.wrap(b).putInt(pos, extremes[random.nextInt(extremes.length)]);
        return b;
      }
    }
  }
}
