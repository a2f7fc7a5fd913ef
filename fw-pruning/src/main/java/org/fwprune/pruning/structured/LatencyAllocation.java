package org.fwprune.pruning.structured;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.fwprune.core.model.Architecture;

/**
 * The widths of {@link KeepRule#flops(double)} and {@link KeepRule#filters(double)}: a greedy,
 * lookup-table allocation in the manner of NetAdapt (Yang et al., ECCV 2018), ranking each
 * narrowing by the measured time it saves per unit of importance it loses, as HALP (Shen et al.,
 * NeurIPS 2022) ranks channels by importance against latency. Deterministic given the table and
 * the scores.
 */
final class LatencyAllocation {

  /** Keeps a zero importance loss or time cost from dividing by zero; far below any real value. */
  private static final double TINY = 1e-12;

  private final List<ChannelGroups.Group> groups;
  private final LatencyTable table;
  private final Map<String, double[]> prefix;
  private final ToLongFunction<Map<String, Integer>> cost;

  private LatencyAllocation(List<ChannelGroups.Group> groups, LatencyTable table,
      Map<String, double[]> scores, ToLongFunction<Map<String, Integer>> cost) {
    this.groups = groups;
    this.table = table;
    this.cost = cost;
    this.prefix = new LinkedHashMap<>();
    for (ChannelGroups.Group g : groups) {
      prefix.put(g.name(), prefix(scores.get(g.name()), g.channels()));
    }
  }

  /**
   * Counts per group within {@code fraction} of the original multiply-adds ({@link Flops}).
   *
   * @param scores per group, one importance score per channel (larger: more important)
   * @throws IllegalArgumentException if every group at its smallest width is still over the budget
   */
  static Map<String, Integer> flops(Architecture a, List<ChannelGroups.Group> groups,
      double fraction, Map<String, double[]> scores, LatencyTable table) {
    long original = Flops.perExample(a);
    return new LatencyAllocation(groups, table, scores,
        counts -> Flops.perExample(FilterSurgery.shrink(a, counts)))
        .allocate(fraction * original, original, "KeepRule.flops(" + fraction + ")",
            "multiply-adds");
  }

  /**
   * Counts per group whose sum is at most {@code ceil(fraction T)} of the groups' {@code T}
   * channels.
   *
   * @throws IllegalArgumentException if every group at its smallest width is still over the budget
   */
  static Map<String, Integer> filters(List<ChannelGroups.Group> groups, double fraction,
      Map<String, double[]> scores, LatencyTable table) {
    long total = groups.stream().mapToLong(ChannelGroups.Group::channels).sum();
    // The epsilon keeps f T from rounding up past an exact product, as the uniform rule does.
    double budget = Math.ceil(fraction * total - 1e-9);
    return new LatencyAllocation(groups, table, scores,
        counts -> counts.values().stream().mapToLong(Integer::longValue).sum())
        .allocate(budget, total, "KeepRule.filters(" + fraction + ")", "channels");
  }

  /**
   * Importance lost by keeping only the {@code w} best channels, for every {@code w}: entry
   * {@code w} is the sum of the scores below the {@code w} largest, each score divided by the
   * group's mean so that groups of different sizes and weight scales compare.
   */
  private static double[] prefix(double[] scores, int channels) {
    double[] s = scores.clone();
    double mean = Arrays.stream(s).map(Math::abs).average().orElse(0);
    for (int i = 0; i < s.length; i++) {
      s[i] = mean > 0 ? Math.abs(s[i]) / mean : 1;
    }
    Arrays.sort(s);
    // Ascending: the lost importance at width w is the sum of the channels - w smallest.
    double[] lost = new double[channels + 1];
    for (int w = channels - 1; w >= 0; w--) {
      lost[w] = lost[w + 1] + s[channels - 1 - w];
    }
    return lost;
  }

  private Map<String, Integer> allocate(double budget, long original, String rule, String unit) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, Integer> smallest = new LinkedHashMap<>();
    groups.forEach(g -> {
      counts.put(g.name(), g.channels());
      smallest.put(g.name(), LatencyTable.widths(g.channels()).get(0));
    });
    long least = cost.applyAsLong(smallest);
    if (least > budget) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: even every channel group"
          + " at its smallest width (%s) keeps %.4f of the %s; use a larger fraction, or"
          + " KeepRule.uniformFlops / uniformFilters, which may go below %d channels", rule,
          smallest.values(), (double) least / original, unit, LatencyTable.WIDTH_STEP));
    }
    long current = cost.applyAsLong(counts);
    // Narrow: the step that saves the most time per importance lost, until within the budget.
    while (current > budget) {
      String best = null;
      double bestRatio = -1;
      long bestCost = 0;
      for (ChannelGroups.Group g : groups) {
        int w = counts.get(g.name());
        int narrower = neighbour(g, w, -1);
        if (narrower == w) {
          continue;
        }
        Map<String, Integer> trial = new LinkedHashMap<>(counts);
        trial.put(g.name(), narrower);
        long c = cost.applyAsLong(trial);
        double time = table.saved(g.name(), g.channels(), narrower)
            - table.saved(g.name(), g.channels(), w);
        double lost = prefix.get(g.name())[narrower] - prefix.get(g.name())[w];
        double ratio = time / (lost + TINY);
        // Ties (a flat table) go to the step that removes the most cost, then to layer order.
        if (best == null || ratio > bestRatio || (ratio == bestRatio && c < bestCost)) {
          best = g.name();
          bestRatio = ratio;
          bestCost = c;
        }
      }
      String name = best;
      int w = counts.get(name);
      counts.put(name, neighbour(group(name), w, -1));
      current = bestCost;
    }
    // Widen: while the budget allows, the step that regains the most importance per time added.
    while (true) {
      String best = null;
      double bestRatio = -1;
      long bestCost = 0;
      for (ChannelGroups.Group g : groups) {
        int w = counts.get(g.name());
        int wider = neighbour(g, w, +1);
        if (wider == w) {
          continue;
        }
        Map<String, Integer> trial = new LinkedHashMap<>(counts);
        trial.put(g.name(), wider);
        long c = cost.applyAsLong(trial);
        if (c > budget) {
          continue;
        }
        double time = table.saved(g.name(), g.channels(), w)
            - table.saved(g.name(), g.channels(), wider);
        double regained = prefix.get(g.name())[w] - prefix.get(g.name())[wider];
        double ratio = regained / (time + TINY);
        if (best == null || ratio > bestRatio) {
          best = g.name();
          bestRatio = ratio;
          bestCost = c;
        }
      }
      if (best == null) {
        return counts;
      }
      counts.put(best, neighbour(group(best), counts.get(best), +1));
    }
  }

  private ChannelGroups.Group group(String name) {
    return groups.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  /** The next width of {@link LatencyTable#widths} below ({@code -1}) or above ({@code +1}). */
  private static int neighbour(ChannelGroups.Group g, int width, int direction) {
    List<Integer> widths = LatencyTable.widths(g.channels());
    int i = widths.indexOf(width);
    int j = Math.max(0, Math.min(widths.size() - 1, i + direction));
    return widths.get(j);
  }
}
