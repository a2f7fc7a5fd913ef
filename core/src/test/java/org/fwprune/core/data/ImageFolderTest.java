package org.fwprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageFolderTest {

  /** Lossless formats, one colour, no resize: exact up to float rounding. */
  private static final float EXACT = 1e-6f;

  /** JPEG is lossy: a flat colour comes back within a few levels of 255. */
  private static final float JPEG_TOLERANCE = 4f / 255;

  @TempDir Path root;

  /** Writes a flat image of colour {@code rgb} (or gray level if type is gray) as {@code format}. */
  private Path image(String classDir, String name, String format, int type, int rgb, int side)
      throws IOException {
    BufferedImage image = new BufferedImage(side, side, type);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    Path dir = Files.createDirectories(root.resolve(classDir));
    Path file = dir.resolve(name);
    assertTrue(ImageIO.write(image, format, file.toFile()), "no writer for " + format);
    return file;
  }

  private static LabelledImages load(Path dir, int side, ImageFolder.Color color)
      throws IOException {
    return ImageFolder.builder().imageSize(side, side).color(color).build().load(dir);
  }

  @Test
  void load_classFolders_namesClassesInSortedOrderAndLabelsByFolder() throws IOException {
    image("zebra", "1.png", "png", BufferedImage.TYPE_INT_RGB, 0x000000, 4);
    image("ant", "b.png", "png", BufferedImage.TYPE_INT_RGB, 0x000000, 4);
    image("ant", "a.bmp", "bmp", BufferedImage.TYPE_INT_RGB, 0x000000, 4);
    Files.writeString(root.resolve("ant").resolve("notes.txt"), "not an image");

    LabelledImages loaded = load(root, 4, ImageFolder.Color.RGB);

    assertEquals(List.of("ant", "zebra"), loaded.classNames());
    assertArrayEquals(new int[] {0, 0, 1}, loaded.data().labels());
    assertEquals(2, loaded.data().numClasses());
  }

  @Test
  void load_rgbPng_keepsChannelsScaledToUnit() throws IOException {
    image("c", "x.png", "png", BufferedImage.TYPE_INT_RGB, 0xff8000, 3);

    Dataset data = load(root, 3, ImageFolder.Color.RGB).data();

    assertEquals(3, data.channels());
    float[] pixel = {data.image(0)[0], data.image(0)[1], data.image(0)[2]};
    assertArrayEquals(new float[] {1f, 128 / 255f, 0f}, pixel, EXACT);
  }

  @Test
  void load_rgbAsGrayscale_storesBt601Luma() throws IOException {
    image("c", "x.png", "png", BufferedImage.TYPE_INT_RGB, 0xff0000, 3);

    Dataset data = load(root, 3, ImageFolder.Color.GRAYSCALE).data();

    assertEquals(1, data.channels());
    assertEquals(0.299f, data.image(0)[4], EXACT);
  }

  @Test
  void load_grayPng_keepsItsGrayLevel() throws IOException {
    // Java's gray colour space is linear: drawing a gray image into an RGB one changes its levels.
    BufferedImage gray = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(0, 0, 0, 128);
    gray.getRaster().setSample(1, 0, 0, 128);
    gray.getRaster().setSample(0, 1, 0, 128);
    gray.getRaster().setSample(1, 1, 0, 128);
    Path file = Files.createDirectories(root.resolve("c")).resolve("g.png");
    ImageIO.write(gray, "png", file.toFile());

    Dataset asRgb = load(root, 2, ImageFolder.Color.RGB).data();
    Dataset asGray = load(root, 2, ImageFolder.Color.GRAYSCALE).data();

    assertArrayEquals(new float[] {128 / 255f, 128 / 255f, 128 / 255f},
        new float[] {asRgb.image(0)[0], asRgb.image(0)[1], asRgb.image(0)[2]}, EXACT);
    assertEquals(128 / 255f, asGray.image(0)[0], EXACT);
  }

  @Test
  void load_jpegLargerThanTarget_isResized() throws IOException {
    image("c", "x.jpg", "jpg", BufferedImage.TYPE_INT_RGB, 0xffffff, 40);

    Dataset data = load(root, 8, ImageFolder.Color.GRAYSCALE).data();

    assertEquals(8, data.height());
    assertEquals(8, data.width());
    for (float v : data.image(0)) {
      assertEquals(1f, v, JPEG_TOLERANCE);
    }
  }

  @Test
  void load_emptyClassFolder_throwsNamingTheFolder() throws IOException {
    image("full", "x.png", "png", BufferedImage.TYPE_INT_RGB, 0, 2);
    Path empty = Files.createDirectories(root.resolve("empty"));

    DataFileException e = assertThrows(DataFileException.class,
        () -> load(root, 2, ImageFolder.Color.RGB));

    assertEquals(empty, e.file());
    assertTrue(e.getMessage().contains("holds no PNG, JPEG or BMP image"), e.getMessage());
  }

  @Test
  void load_unreadableImage_throwsNamingTheFile() throws IOException {
    Path bad = Files.createDirectories(root.resolve("c")).resolve("broken.png");
    Files.writeString(bad, "this is not a PNG");

    DataFileException e = assertThrows(DataFileException.class,
        () -> load(root, 2, ImageFolder.Color.RGB));

    assertEquals(bad, e.file());
  }

  @Test
  void load_rootWithoutClassFolders_throwsNamingRoot() throws IOException {
    Files.writeString(root.resolve("loose.png"), "x");

    DataFileException e = assertThrows(DataFileException.class,
        () -> load(root, 2, ImageFolder.Color.RGB));

    assertEquals(root, e.file());
  }

  @Test
  void load_missingRoot_throwsNoSuchFile() {
    assertThrows(NoSuchFileException.class,
        () -> load(root.resolve("absent"), 2, ImageFolder.Color.RGB));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, ImageFolder.MAX_SIDE + 1})
  void imageSize_outOfRange_throwsWithRange(int side) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageFolder.builder().imageSize(side, 8));

    assertTrue(e.getMessage().contains("[1, " + ImageFolder.MAX_SIDE + "]"), e.getMessage());
  }
}
