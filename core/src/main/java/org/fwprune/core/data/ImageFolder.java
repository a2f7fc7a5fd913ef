package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.fwprune.core.check.Require;

/**
 * Loads images stored one sub-folder per class ({@code root/cat/001.png}, {@code root/dog/...}),
 * the layout most image collections use. Class names are the sub-folder names in sorted order,
 * and labels follow that order; images within a class are read in sorted file-name order. PNG,
 * JPEG and BMP files are read with the JDK's ImageIO; other files and hidden entries (names
 * starting with a dot) are skipped.
 *
 * <p>Every image is resized to the configured size with bilinear interpolation and stored as
 * grayscale (one channel; a colour image becomes its ITU-R BT.601 luma {@code 0.299 R + 0.587 G
 * + 0.114 B}, the rule of most image libraries) or RGB (three channels; a grayscale image is
 * repeated), with values scaled to [0, 1]. Transparent pixels become black. Immutable.
 *
 * <pre>{@code
 * LabelledImages flowers = ImageFolder.builder().imageSize(64, 64).color(ImageFolder.Color.RGB)
 *     .build().load(Path.of("flowers/train"));
 * }</pre>
 */
public final class ImageFolder {

  /** Largest accepted height or width, in pixels. */
  public static final int MAX_SIDE = 4096;

  /** File name extensions read as images, lower case. */
  public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp");

  /** How pixels are stored. */
  public enum Color {
    /** One channel: luma. */
    GRAYSCALE(1),
    /** Three channels: red, green, blue. */
    RGB(3);

    private final int channels;

    Color(int channels) {
      this.channels = channels;
    }

    /** Returns the channels per pixel. */
    public int channels() {
      return channels;
    }
  }

  private final int height;
  private final int width;
  private final Color color;

  private ImageFolder(Builder b) {
    this.height = b.height;
    this.width = b.width;
    this.color = b.color;
  }

  /** Returns a builder with the defaults: 32x32 pixels, RGB. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads every image under {@code root}, one sub-folder per class.
   *
   * @throws NoSuchFileException if {@code root} is not a folder
   * @throws DataFileException if {@code root} has no class folder, a class folder holds no image,
   *     or an image cannot be read; the message names the folder or file
   * @throws IOException if a folder cannot be listed
   */
  public LabelledImages load(Path root) throws IOException {
    checkNotNull(root, "root");
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "no such image folder");
    }
    List<Path> classDirs = sortedEntries(root).stream().filter(Files::isDirectory).toList();
    if (classDirs.isEmpty()) {
      throw new DataFileException(root, "holds no class folder; expected one sub-folder per"
          + " class, each holding PNG, JPEG or BMP images");
    }
    List<String> names = new ArrayList<>();
    List<List<Path>> files = new ArrayList<>();
    int total = 0;
    for (Path dir : classDirs) {
      List<Path> images = sortedEntries(dir).stream()
          .filter(p -> Files.isRegularFile(p) && EXTENSIONS.contains(extension(p)))
          .toList();
      if (images.isEmpty()) {
        throw new DataFileException(dir, "class folder holds no PNG, JPEG or BMP image");
      }
      names.add(dir.getFileName().toString());
      files.add(images);
      total += images.size();
    }
    int imageSize = height * width * color.channels;
    checkArgument((long) total * imageSize <= Integer.MAX_VALUE,
        "%s images of %sx%sx%s exceed one float array", total, height, width, color.channels);
    float[] pixels = new float[total * imageSize];
    int[] labels = new int[total];
    int next = 0;
    for (int label = 0; label < files.size(); label++) {
      for (Path file : files.get(label)) {
        readInto(file, pixels, next * imageSize);
        labels[next++] = label;
      }
    }
    return new LabelledImages(
        Dataset.wrapValidated(pixels, labels, height, width, color.channels, names.size()),
        names);
  }

  /** Returns the settings, for logs. */
  @Override
  public String toString() {
    return "ImageFolder[" + height + "x" + width + ", " + color + "]";
  }

  private void readInto(Path file, float[] pixels, int at) throws DataFileException {
    BufferedImage source;
    try {
      source = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new DataFileException(file, "unreadable image (" + e.getMessage() + ")", e);
    }
    if (source == null) {
      throw new DataFileException(file, "not a readable PNG, JPEG or BMP image");
    }
    // A gray source is scaled in its own colour space: drawing it into an RGB image would pass
    // it through Java's linear gray space and brighten mid-tones.
    boolean gray = source.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    BufferedImage scaled = new BufferedImage(width, height,
        gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
          RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    int p = at;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (gray) {
          float v = scaled.getRaster().getSample(x, y, 0) / 255f;
          for (int c = 0; c < color.channels; c++) {
            pixels[p++] = v;
          }
        } else {
          int rgb = scaled.getRGB(x, y);
          float r = ((rgb >> 16) & 0xff) / 255f;
          float gr = ((rgb >> 8) & 0xff) / 255f;
          float b = (rgb & 0xff) / 255f;
          if (color == Color.GRAYSCALE) {
            pixels[p++] = 0.299f * r + 0.587f * gr + 0.114f * b;
          } else {
            pixels[p++] = r;
            pixels[p++] = gr;
            pixels[p++] = b;
          }
        }
      }
    }
  }

  private static List<Path> sortedEntries(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    }
  }

  private static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Configures an {@link ImageFolder}. */
  public static final class Builder {
    private int height = 32;
    private int width = 32;
    private Color color = Color.RGB;

    private Builder() {}

    /**
     * Sets the size every image is resized to (default 32x32).
     *
     * @throws IllegalArgumentException if a side is outside [1, {@value ImageFolder#MAX_SIDE}]
     */
    public Builder imageSize(int height, int width) {
      Require.inClosed("height", height, 1, MAX_SIDE);
      Require.inClosed("width", width, 1, MAX_SIDE);
      this.height = height;
      this.width = width;
      return this;
    }

    /** Sets grayscale or RGB storage (default RGB). */
    public Builder color(Color color) {
      this.color = checkNotNull(color, "color");
      return this;
    }

    /** Returns a loader with these settings. */
    public ImageFolder build() {
      return new ImageFolder(this);
    }
  }
}
