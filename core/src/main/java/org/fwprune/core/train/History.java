package org.fwprune.core.train;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * Per-epoch record of one {@code fit} call.
 *
 * @param epochs the statistics of each epoch, in order
 */
public record History(List<EpochStats> epochs) {

  /** Copies the list. */
  public History {
    epochs = ImmutableList.copyOf(epochs);
  }

  /** Statistics of the last epoch. */
  public EpochStats last() {
    checkState(!epochs.isEmpty(), "no epoch was run");
    return epochs.get(epochs.size() - 1);
  }

  /** Total optimizer steps. */
  public long steps() {
    return epochs.stream().mapToLong(EpochStats::steps).sum();
  }

  /** Total training seconds. */
  public double seconds() {
    return epochs.stream().mapToDouble(EpochStats::seconds).sum();
  }
}
