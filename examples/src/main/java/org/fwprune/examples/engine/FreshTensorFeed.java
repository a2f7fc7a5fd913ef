package org.fwprune.examples.engine;

import java.util.Random;
import java.util.function.BiConsumer;
import org.fwprune.core.data.Dataset;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How the reference loops feed a training step, the plainest way: the data shuffled with a seeded
 * {@link Random} each pass, and a fresh image and label tensor for every batch, closed after its
 * step.
 */
final class FreshTensorFeed {

  private FreshTensorFeed() {}

  /**
   * Runs {@code step} on {@code steps} batches of {@code batchSize} and returns the seconds taken.
   *
   * @param imageShape the shape of one batch of images
   */
  static double time(Dataset data, int batchSize, int steps, long seed, Shape imageShape,
      BiConsumer<TFloat32, TInt32> step) {
    int n = data.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    float[] imageBuffer = new float[batchSize * data.imageSize()];
    int[] labelBuffer = new int[batchSize];
    int position = n;
    long start = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      if (position + batchSize > n) {
        for (int i = n - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
        position = 0;
      }
      data.copyBatch(order, position, batchSize, imageBuffer, labelBuffer);
      position += batchSize;
      try (TFloat32 x = TFloat32.tensorOf(imageShape);
          TInt32 y = TInt32.tensorOf(Shape.of(batchSize))) {
        x.asRawTensor().data().asFloats().write(imageBuffer);
        y.asRawTensor().data().asInts().write(labelBuffer);
        step.accept(x, y);
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
