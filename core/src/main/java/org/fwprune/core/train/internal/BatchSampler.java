package org.fwprune.core.train.internal;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Random;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.InputBatch;

/**
 * Walks a data set in minibatches, epoch after epoch, reshuffling with a seeded generator at each
 * epoch start, and fills an {@link InputBatch} in place. Not thread-safe.
 */
public final class BatchSampler {

  private final Dataset data;
  private final int batchSize;
  private final boolean shuffle;
  private final Random random;
  private final int[] order;
  private int position;
  private int epoch;

  /**
   * Creates a sampler; the first {@link #next} starts epoch 1.
   *
   * @param batchSize examples per batch; the last batch of an epoch may be smaller
   */
  public BatchSampler(Dataset data, int batchSize, boolean shuffle, long seed) {
    checkArgument(data.size() > 0, "cannot sample batches from an empty data set");
    checkArgument(batchSize >= 1, "batchSize must be at least 1, got %s", batchSize);
    this.data = data;
    this.batchSize = Math.min(batchSize, data.size());
    this.shuffle = shuffle;
    this.random = new Random(seed);
    this.order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    this.position = order.length;
  }

  /** Batches per epoch. */
  public int stepsPerEpoch() {
    return (data.size() + batchSize - 1) / batchSize;
  }

  /** The largest batch this sampler fills. */
  public int batchSize() {
    return batchSize;
  }

  /** The current 1-based epoch (0 before the first batch). */
  public int epoch() {
    return epoch;
  }

  /** Whether the next batch starts a new epoch. */
  public boolean atEpochEnd() {
    return position >= order.length;
  }

  /** Fills {@code batch} with the next minibatch and returns its size. */
  public int next(InputBatch batch) {
    if (position >= order.length) {
      if (shuffle) {
        for (int i = order.length - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      }
      position = 0;
      epoch++;
    }
    int count = Math.min(batchSize, order.length - position);
    batch.fill(data, order, position, count);
    position += count;
    return count;
  }

  /** A new input batch sized for this sampler; the caller closes it. */
  public InputBatch newBatch() {
    return new InputBatch(batchSize, data.height(), data.width(), data.channels());
  }
}
