package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import java.util.Map;
import org.fwprune.core.check.Require;

/**
 * How many filters (or units) {@link StructuredPruner} keeps in each pruned layer. Create with the
 * static factories.
 */
public sealed interface KeepRule {

  /**
   * Keeps at most {@code ceil(fraction T)} of the {@code T} channels of all pruned groups together,
   * spent where time goes: the widths come from a {@link LatencyTable} measured on this machine
   * and the selection method's channel scores, as {@link #flops(double)} describes, with the
   * channel count in place of the multiply-adds. The previous rule, the same fraction of every
   * layer, is {@link #uniformFilters(double)}.
   *
   * @param fraction largest kept fraction of all the pruned groups' channels, in (0, 1]
   */
  static KeepRule filters(double fraction) {
    return new LatencyFilters(fraction);
  }

  /** Keeps {@code max(1, ceil(fraction N))} of the {@code N} filters of every pruned layer. */
  static KeepRule uniformFilters(double fraction) {
    return new Fraction(fraction);
  }

  /**
   * Keeps the network's multiply-adds per example ({@link Flops}) at most {@code fraction} of the
   * original's, and spends that budget where time goes (docs/structured.md, "Latency-guided
   * widths"). Each group may keep only widths from {@link LatencyTable#widths}: multiples of 8
   * below its size, and its size (groups of fewer than 16 channels: any count). Starting from every
   * group whole, the allocation repeatedly narrows the group, by one step of its widths, that saves
   * the most measured time per unit of channel importance lost, until the multiply-adds fit the
   * budget; then it widens again, one step at a time, the groups that buy back the most importance
   * per unit of time while the budget still holds. This is the greedy, lookup-table allocation of
   * NetAdapt (Yang et al., ECCV 2018) with the latency-per-importance ranking of HALP (Shen et al.,
   * NeurIPS 2022).
   *
   * <p>Time comes from a {@link LatencyTable}: the one given to
   * {@link StructuredPruner.Builder#latencyTable}, or one that {@link StructuredPruner#prune}
   * measures on the model, at {@link StructuredPruner.Builder#latencyBatch} examples per call,
   * and reports in {@link StructuredResult#latency()}; pass that back to reuse it. Importance is
   * the selection method's score of each channel (L1 norm, or BatchNorm scale for
   * {@link SelectionMethod#BN_SCALE}; greedy forward selection, which has no score before it runs,
   * uses the L1 norm), divided by its group's mean so that groups compare. Given a table and
   * weights, the widths are deterministic. If even every group at its smallest width is over the
   * budget, {@code prune} refuses with an {@link IllegalArgumentException} that gives the smallest
   * reachable fraction. The previous rule, the same fraction of every group, is
   * {@link #uniformFlops(double)}.
   *
   * @param fraction largest allowed fraction of the original multiply-adds, in (0, 1]
   */
  static KeepRule flops(double fraction) {
    return new LatencyFlops(fraction);
  }

  /**
   * Keeps the same fraction of filters in every pruned layer, the largest for which the network's
   * multiply-adds per example ({@link Flops}) are at most {@code fraction} of the original's. This
   * was {@code flops(fraction)} before the latency-guided rule; the committed ResNet-20 and paper
   * network studies use it.
   */
  static KeepRule uniformFlops(double fraction) {
    return new FlopsFraction(fraction);
  }

  /**
   * Keeps, in every pruned group, a multiple of {@code channelMultiple} channels (at least
   * {@code channelMultiple}, at most all of them; a group of fewer channels stays whole), with the
   * network's multiply-adds per example ({@link Flops}) as close as this search gets to
   * {@code fraction} of the original's without exceeding it. It exists because TensorFlow's CPU
   * convolutions (oneDNN) lay channels out in blocks of 8 or 16, so counts such as 11, 22 and 44
   * are suspected of running slower than their multiply-adds suggest; that suspicion is not yet
   * measured (docs/structured.md, "Channel counts and speed").
   *
   * <p>The search starts from the counts of {@code uniformFlops(fraction)}, each rounded down to a
   * multiple (raised to {@code channelMultiple} where it falls below), then adds
   * {@code channelMultiple} channels to one group at a time, each time the addition that brings the
   * multiply-adds closest to the budget without passing it, until none fits. It is greedy, so a
   * closer combination may exist. If even the smallest choice (every group at
   * {@code channelMultiple}) is above the budget, {@link StructuredPruner#prune} refuses with an
   * {@link IllegalArgumentException} that gives the smallest reachable fraction.
   *
   * @param fraction largest allowed fraction of the original multiply-adds, in (0, 1]
   * @param channelMultiple in [1, 1024]; 1 gives counts at least as close as {@code uniformFlops}'s
   */
  static KeepRule flops(double fraction, int channelMultiple) {
    return new RoundedFlops(fraction, channelMultiple);
  }

  /**
   * The stopping rule of Ye et al. 2020 and Wolfe et al. 2023: a layer stops growing as soon as the
   * pruned network's accuracy on a training subset reaches {@code fractionOfDense} times the
   * original network's, or when it holds {@code ceil(maxKeepFraction N)} filters.
   */
  static KeepRule accuracy(double fractionOfDense, double maxKeepFraction) {
    return new Accuracy(fractionOfDense, maxKeepFraction);
  }

  /**
   * Keeps exactly {@code counts.get(layer)} filters in each named layer (e.g. {@code conv2d_1});
   * layers not named keep every filter. Used to compare selection methods at equal FLOPs.
   */
  static KeepRule counts(Map<String, Integer> counts) {
    return new Counts(counts);
  }

  /** @param fraction largest kept fraction of all pruned channels together, in (0, 1] */
  record LatencyFilters(double fraction) implements KeepRule {
    /** Checks the range. */
    public LatencyFilters {
      Require.inOpenClosed("keep fraction", fraction, 0, 1);
    }
  }

  /** @param fraction largest allowed fraction of the original multiply-adds, in (0, 1] */
  record LatencyFlops(double fraction) implements KeepRule {
    /** Checks the range. */
    public LatencyFlops {
      Require.inOpenClosed("FLOPs fraction", fraction, 0, 1);
    }
  }

  /** @param fraction kept fraction of each layer's filters, in (0, 1] */
  record Fraction(double fraction) implements KeepRule {
    /** Checks the range. */
    public Fraction {
      Require.inOpenClosed("keep fraction", fraction, 0, 1);
    }
  }

  /** @param fraction largest allowed fraction of the original multiply-adds, in (0, 1] */
  record FlopsFraction(double fraction) implements KeepRule {
    /** Checks the range. */
    public FlopsFraction {
      Require.inOpenClosed("FLOPs fraction", fraction, 0, 1);
    }
  }

  /**
   * @param fraction largest allowed fraction of the original multiply-adds, in (0, 1]
   * @param channelMultiple every kept count is a multiple of it, in [1, 1024]
   */
  record RoundedFlops(double fraction, int channelMultiple) implements KeepRule {
    /** Checks the ranges. */
    public RoundedFlops {
      Require.inOpenClosed("FLOPs fraction", fraction, 0, 1);
      Require.inClosed("channel multiple", channelMultiple, 1, 1024);
    }
  }

  /**
   * @param fractionOfDense accuracy to reach, as a fraction of the original's, in (0, 1]
   * @param maxKeepFraction cap on the kept fraction of each layer's filters, in (0, 1]
   */
  record Accuracy(double fractionOfDense, double maxKeepFraction) implements KeepRule {
    /** Checks the ranges. */
    public Accuracy {
      Require.inOpenClosed("accuracy fraction of dense", fractionOfDense, 0, 1);
      Require.inOpenClosed("max keep fraction", maxKeepFraction, 0, 1);
    }
  }

  /** @param counts filters to keep per layer name, each at least 1 */
  record Counts(Map<String, Integer> counts) implements KeepRule {
    /** Copies the map and checks each count. */
    public Counts {
      checkArgument(counts != null && !counts.isEmpty(),
          "counts must name at least one layer, got %s", counts);
      counts.forEach((layer, n) -> checkArgument(n != null && n >= 1,
          "%s: kept count must be at least 1, got %s", layer, n));
      counts = ImmutableMap.copyOf(counts);
    }
  }
}
