package org.fwprune.core.runtime.internal;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Reusable input tensors for one caller's batches: filled in place each step so a training step
 * allocates no native memory. Not thread-safe; each training or evaluation run owns one.
 */
public final class InputBatch implements AutoCloseable {

  private final int capacity;
  private final int height;
  private final int width;
  private final int channels;
  private final float[] imageStage;
  private final int[] labelStage;
  private TFloat32 images;
  private TInt32 labels;
  private int count;

  /**
   * Creates a batch holder for up to {@code capacity} images of the given shape.
   *
   * @param capacity largest batch size that will be filled
   */
  public InputBatch(int capacity, int height, int width, int channels) {
    checkArgument(capacity >= 1, "batch capacity must be at least 1, got %s", capacity);
    checkArgument(height >= 1 && width >= 1 && channels >= 1,
        "image height, width and channels must be at least 1, got %sx%sx%s", height, width,
        channels);
    this.capacity = capacity;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.imageStage = new float[Math.multiplyExact(capacity, height * width * channels)];
    this.labelStage = new int[capacity];
  }

  /** Fills the batch with rows {@code indices[start .. start + count)} of {@code data}. */
  public void fill(Dataset data, int[] indices, int start, int count) {
    Require.inClosed("batch size", count, 1, capacity);
    checkArgument(data.height() == height && data.width() == width && data.channels() == channels,
        "data set images are %sx%sx%s but this batch holds %sx%sx%s images", data.height(),
        data.width(), data.channels(), height, width, channels);
    data.copyBatch(indices, start, count, imageStage, labelStage);
    ensureTensors(count);
    int floats = count * height * width * channels;
    images.asRawTensor().data().asFloats().write(imageStage, 0, floats);
    labels.asRawTensor().data().asInts().write(labelStage, 0, count);
  }

  /** Number of examples in the batch as last filled. */
  public int size() {
    return count;
  }

  TFloat32 images() {
    return images;
  }

  TInt32 labels() {
    return labels;
  }

  private void ensureTensors(int n) {
    if (images != null && count == n) {
      return;
    }
    closeTensors();
    images = TFloat32.tensorOf(Shape.of(n, height, width, channels));
    labels = TInt32.tensorOf(Shape.of(n));
    count = n;
  }

  private void closeTensors() {
    if (images != null) {
      images.close();
      labels.close();
      images = null;
      labels = null;
    }
  }

  @Override
  public void close() {
    closeTensors();
  }
}
