package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * An immutable, thread-safe set of labelled images held in memory, in NHWC order as float32.
 *
 * <p>Images are stored row after row in one {@code float[]}: image {@code i} occupies {@link
 * #imageSize()} consecutive floats laid out as height, width, channels. Loaders in this package
 * ({@link Idx}, {@link Mnist}) produce pixel values in [0, 1]; {@link #of} accepts any finite
 * values. Labels are class indices in [0, {@link #numClasses()}).
 *
 * <p>{@link #subset} returns a view sharing the backing arrays, so slicing a large data set costs
 * nothing; {@link #select} copies. Since no method ever writes to the backing arrays after
 * construction, views and copies are equally safe to share between threads.
 */
public final class Dataset {

  private final float[] images;
  private final int[] labels;

  /** Index of this data set's first row in the backing arrays. */
  private final int offset;

  private final int size;
  private final int height;
  private final int width;
  private final int channels;
  private final int numClasses;
  private final int imageSize;

  private Dataset(
      float[] images,
      int[] labels,
      int offset,
      int size,
      int height,
      int width,
      int channels,
      int numClasses) {
    this.images = images;
    this.labels = labels;
    this.offset = offset;
    this.size = size;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.numClasses = numClasses;
    this.imageSize = height * width * channels;
  }

  /**
   * Creates a data set from a copy of the given images and labels after validating them.
   *
   * @param images {@code labels.length * height * width * channels} finite pixel values, NHWC
   * @param labels one class index in [0, numClasses) per image
   * @param height image height in pixels, at least 1
   * @param width image width in pixels, at least 1
   * @param channels channels per pixel, at least 1
   * @param numClasses number of classes, at least 1
   * @return a new data set that does not share the given arrays
   * @throws IllegalArgumentException if a dimension is below 1, the lengths disagree, a label is
   *     outside [0, numClasses) or a pixel is not finite
   */
  public static Dataset of(
      float[] images, int[] labels, int height, int width, int channels, int numClasses) {
    checkNotNull(images, "images");
    checkNotNull(labels, "labels");
    // Copy first and validate the copies, so a caller mutating its arrays concurrently cannot
    // slip an invalid value past the checks.
    images = images.clone();
    labels = labels.clone();
    checkArgument(height >= 1, "height must be at least 1, got %s", height);
    checkArgument(width >= 1, "width must be at least 1, got %s", width);
    checkArgument(channels >= 1, "channels must be at least 1, got %s", channels);
    checkArgument(numClasses >= 1, "numClasses must be at least 1, got %s", numClasses);
    long imageSize = (long) height * width * channels;
    checkArgument(
        imageSize <= Integer.MAX_VALUE,
        "image size %sx%sx%s = %s floats exceeds the int range",
        height,
        width,
        channels,
        imageSize);
    long expected = labels.length * imageSize;
    checkArgument(
        images.length == expected,
        "expected %s floats for %s images of %sx%sx%s, found %s",
        expected,
        labels.length,
        height,
        width,
        channels,
        images.length);
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i];
      if (label < 0 || label >= numClasses) {
        throw new IllegalArgumentException(
            String.format(
                "expected labels in [0, %d), found %d at index %d", numClasses, label, i));
      }
    }
    for (int i = 0; i < images.length; i++) {
      if (!Float.isFinite(images[i])) {
        throw new IllegalArgumentException(
            String.format(
                "expected finite pixel values, found %s at index %d (image %d)",
                images[i], i, i / imageSize));
      }
    }
    return new Dataset(images, labels, 0, labels.length, height, width, channels, numClasses);
  }

  /**
   * Checks that {@code data} holds at least one example, with the message every builder uses:
   * {@code "WHAT must be a non-empty data set, got DATA"}.
   *
   * @return {@code data}
   * @throws IllegalArgumentException if {@code data} is null or empty
   */
  public static Dataset requireNonEmpty(String what, Dataset data) {
    checkArgument(data != null && data.size() > 0, "%s must be a non-empty data set, got %s", what,
        data);
    return data;
  }

  /**
   * Wraps arrays that the caller has already validated and will never touch again; no copy.
   *
   * <p>For loaders in this package, which build fresh arrays of a few hundred megabytes and must
   * not hold two copies at once.
   */
  static Dataset wrapValidated(
      float[] images, int[] labels, int height, int width, int channels, int numClasses) {
    return new Dataset(images, labels, 0, labels.length, height, width, channels, numClasses);
  }

  /** Returns the number of images. */
  public int size() {
    return size;
  }

  /** Returns the image height in pixels. */
  public int height() {
    return height;
  }

  /** Returns the image width in pixels. */
  public int width() {
    return width;
  }

  /** Returns the number of channels per pixel (1 for grayscale). */
  public int channels() {
    return channels;
  }

  /** Returns the number of classes; every label lies in [0, numClasses). */
  public int numClasses() {
    return numClasses;
  }

  /** Returns the number of floats in one image, {@code height * width * channels}. */
  public int imageSize() {
    return imageSize;
  }

  /**
   * Returns the label of image {@code i}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in [0, size)
   */
  public int label(int i) {
    checkElementIndex(i, size, "image index");
    return labels[offset + i];
  }

  /** Returns a copy of all labels, in order. */
  public int[] labels() {
    int[] copy = new int[size];
    System.arraycopy(labels, offset, copy, 0, size);
    return copy;
  }

  /**
   * Returns a copy of image {@code i} as {@code imageSize()} floats in HWC order.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in [0, size)
   */
  public float[] image(int i) {
    checkElementIndex(i, size, "image index");
    float[] copy = new float[imageSize];
    System.arraycopy(images, (offset + i) * imageSize, copy, 0, imageSize);
    return copy;
  }

  /** Returns how many images carry each label: element {@code k} counts label {@code k}. */
  public int[] classCounts() {
    int[] counts = new int[numClasses];
    for (int i = offset; i < offset + size; i++) {
      counts[labels[i]]++;
    }
    return counts;
  }

  /**
   * Returns the images {@code [from, to)} as a view that shares this data set's arrays (no copy).
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= size()}
   */
  public Dataset subset(int from, int to) {
    if (from < 0 || to < from || to > size) {
      throw new IndexOutOfBoundsException(
          String.format(
              "subset [%d, %d) is not a range within [0, %d] of a data set of size %d",
              from, to, size, size));
    }
    return new Dataset(
        images, labels, offset + from, to - from, height, width, channels, numClasses);
  }

  /**
   * Returns a new data set holding copies of the given rows, in the given order; an index may
   * repeat (for bootstrap samples).
   *
   * @throws IndexOutOfBoundsException if an index is not in [0, size)
   * @throws IllegalArgumentException if the selection would exceed the largest Java array
   */
  public Dataset select(int[] indices) {
    checkNotNull(indices, "indices");
    for (int k = 0; k < indices.length; k++) {
      checkRow(indices[k], k);
    }
    long floats = (long) indices.length * imageSize;
    checkArgument(
        floats <= Integer.MAX_VALUE - 8,
        "%s images of %s floats exceed the largest possible array",
        indices.length,
        imageSize);
    float[] newImages = new float[(int) floats];
    int[] newLabels = new int[indices.length];
    copyRows(indices, 0, indices.length, newImages, newLabels);
    return new Dataset(
        newImages, newLabels, 0, indices.length, height, width, channels, numClasses);
  }

  /**
   * Copies the rows {@code indices[start .. start+count)} into the first {@code count *
   * imageSize()} floats of {@code images} and the first {@code count} ints of {@code labels}.
   *
   * <p>The training loop's hot path: it allocates nothing and checks only array bounds and row
   * indices, never pixel values.
   *
   * @throws IndexOutOfBoundsException if {@code [start, start+count)} is not within {@code indices}
   *     or a selected index is not in [0, size)
   * @throws IllegalArgumentException if {@code images} or {@code labels} is too short for {@code
   *     count} rows
   */
  public void copyBatch(int[] indices, int start, int count, float[] images, int[] labels) {
    checkNotNull(indices, "indices");
    checkNotNull(images, "images");
    checkNotNull(labels, "labels");
    if (start < 0 || count < 0 || (long) start + count > indices.length) {
      throw new IndexOutOfBoundsException(
          String.format(
              "batch [%d, %d + %d) is not within the %d indices",
              start, start, count, indices.length));
    }
    long floats = (long) count * imageSize;
    checkArgument(
        images.length >= floats,
        "images buffer must hold at least %s floats for %s images of size %s, found %s",
        floats,
        count,
        imageSize,
        images.length);
    checkArgument(
        labels.length >= count,
        "labels buffer must hold at least %s ints, found %s",
        count,
        labels.length);
    for (int k = start; k < start + count; k++) {
      checkRow(indices[k], k);
    }
    copyRows(indices, start, count, images, labels);
  }

  private void checkRow(int row, int position) {
    if (row < 0 || row >= size) {
      throw new IndexOutOfBoundsException(
          String.format(
              "index %d at position %d is not in [0, %d), the size of this data set",
              row, position, size));
    }
  }

  private void copyRows(int[] indices, int start, int count, float[] dstImages, int[] dstLabels) {
    for (int k = 0; k < count; k++) {
      int row = offset + indices[start + k];
      System.arraycopy(images, row * imageSize, dstImages, k * imageSize, imageSize);
      dstLabels[k] = labels[row];
    }
  }

  /** Returns a summary such as {@code Dataset[size=60000, shape=28x28x1, classes=10]}. */
  @Override
  public String toString() {
    return String.format(
        "Dataset[size=%d, shape=%dx%dx%d, classes=%d]", size, height, width, channels, numClasses);
  }
}
