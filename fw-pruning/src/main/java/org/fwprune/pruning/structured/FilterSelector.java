package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.PrunableModel;
import org.fwprune.core.train.internal.BatchSampler;

/**
 * Chooses the filters each pruned layer keeps, layer by layer from input to output, as a
 * {@link StructuredPruner} is configured: the order in which filters are added comes from greedy
 * forward selection or from L1 norms, and a layer stops growing at its target count or when the
 * accuracy rule is met.
 */
final class FilterSelector {

  /** The kept channels of one group, in the order they were added, and their scale. */
  record Chosen(ChannelGroups.Group group, List<Integer> order, double scale) {}

  /** The selection of every considered layer, and what it cost. */
  record Selection(List<Chosen> layers, long steps, long candidateEvaluations) {}

  private final StructuredPruner.SelectionSettings config;
  private final Cnn model;
  private final Dataset train;
  private final Random random;
  private long steps;
  private long evaluations;

  private FilterSelector(StructuredPruner.SelectionSettings config, Cnn model, Dataset train) {
    this.config = config;
    this.model = model;
    this.train = train;
    this.random = new Random(config.seed());
  }

  static Selection select(StructuredPruner.SelectionSettings config, Cnn model, Dataset train) {
    return new FilterSelector(config, model, train).run();
  }

  /** The groups the pruner considers: every prunable group, or only those a conv produces. */
  static List<ChannelGroups.Group> considered(Architecture a, boolean includeDense) {
    return ChannelGroups.of(a).prunable().stream()
        .filter(g -> includeDense || a.layer(g.name()).spec() instanceof LayerSpec.Conv2d)
        .toList();
  }

  /** Whether the rule allocates widths from a {@link LatencyTable}. */
  static boolean latencyGuided(KeepRule rule) {
    return rule instanceof KeepRule.LatencyFlops || rule instanceof KeepRule.LatencyFilters;
  }

  /**
   * Filters to keep per layer for the fixed rules; for {@link KeepRule.Accuracy}, the cap. A layer
   * absent from the map keeps every filter.
   */
  static Map<String, Integer> targets(Architecture a, List<ChannelGroups.Group> groups,
      KeepRule rule) {
    return targets(a, groups, rule, Map.of(), null);
  }

  /**
   * As {@link #targets(Architecture, List, KeepRule)}; the latency-guided rules also read the
   * channel {@code scores} of each group (see {@link #scores}) and the {@code latency} table.
   */
  static Map<String, Integer> targets(Architecture a, List<ChannelGroups.Group> groups,
      KeepRule rule, Map<String, double[]> scores, LatencyTable latency) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (latencyGuided(rule)) {
      checkArgument(latency != null, "%s needs a latency table", rule);
      latency.checkCovers(groups);
    }
    if (rule instanceof KeepRule.LatencyFlops f) {
      out.putAll(LatencyAllocation.flops(a, groups, f.fraction(), scores, latency));
    } else if (rule instanceof KeepRule.LatencyFilters f) {
      out.putAll(LatencyAllocation.filters(groups, f.fraction(), scores, latency));
    } else if (rule instanceof KeepRule.Counts c) {
      ChannelGroups all = ChannelGroups.of(a);
      List<String> names = groups.stream().map(ChannelGroups.Group::name).toList();
      Map<String, Integer> byGroup = new LinkedHashMap<>();
      c.counts().forEach((name, n) -> {
        ChannelGroups.Group g = all.groupOf(name).filter(x -> x.producers().contains(name)
            && names.contains(x.name())).orElseThrow(() -> new IllegalArgumentException(name
                + " is not a layer this pruner prunes; it prunes " + names));
        checkArgument(n <= g.channels(), "%s: kept count must be in [1, %s], got %s", name,
            g.channels(), n);
        Integer earlier = byGroup.put(g.name(), n);
        checkArgument(earlier == null || earlier.equals(n),
            "%s belongs to channel group %s, which is given two counts (%s and %s)", name,
            g.name(), earlier, n);
      });
      groups.forEach(g -> out.put(g.name(), byGroup.getOrDefault(g.name(), g.channels())));
    } else if (rule instanceof KeepRule.Fraction f) {
      groups.forEach(g -> out.put(g.name(), count(f.fraction(), g)));
    } else if (rule instanceof KeepRule.Accuracy acc) {
      groups.forEach(g -> out.put(g.name(), count(acc.maxKeepFraction(), g)));
    } else if (rule instanceof KeepRule.FlopsFraction f) {
      out.putAll(flopsTargets(a, groups, f.fraction()));
    } else if (rule instanceof KeepRule.RoundedFlops r) {
      out.putAll(roundedFlopsTargets(a, groups, r.fraction(), r.channelMultiple()));
    }
    return out;
  }

  /**
   * The search of {@link KeepRule#flops(double, int)}: the uniform counts rounded down to multiples
   * of {@code m}, then one group at a time grown by {@code m}, each time the growth that ends
   * closest below the budget (best fit, as in bin packing), until none fits.
   */
  private static Map<String, Integer> roundedFlopsTargets(Architecture a,
      List<ChannelGroups.Group> groups, double fraction, int m) {
    long original = Flops.perExample(a);
    double budget = fraction * original;
    Map<String, Integer> smallest = new LinkedHashMap<>();
    groups.forEach(g -> smallest.put(g.name(), Math.min(m, g.channels())));
    long smallestFlops = Flops.perExample(FilterSurgery.shrink(a, smallest));
    if (smallestFlops > budget) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "KeepRule.flops(%s, %d): no"
          + " counts that are multiples of %d fit the budget; the smallest (every group at %d"
          + " channels) keeps %.4f of the multiply-adds", fraction, m, m, m,
          (double) smallestFlops / original));
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    flopsTargets(a, groups, fraction).forEach((name, n) -> counts.put(name,
        Math.max(smallest.get(name), n / m * m)));
    if (Flops.perExample(FilterSurgery.shrink(a, counts)) > budget) {
      counts.putAll(smallest);
    }
    while (true) {
      String best = null;
      long bestFlops = -1;
      for (ChannelGroups.Group g : groups) {
        int grown = Math.min(g.channels(), counts.get(g.name()) + m);
        if (grown == counts.get(g.name())) {
          continue;
        }
        Map<String, Integer> trial = new LinkedHashMap<>(counts);
        trial.put(g.name(), grown);
        long flops = Flops.perExample(FilterSurgery.shrink(a, trial));
        if (flops <= budget && flops > bestFlops) {
          best = g.name();
          bestFlops = flops;
        }
      }
      if (best == null) {
        return counts;
      }
      String name = best;
      counts.put(name, groups.stream().filter(g -> g.name().equals(name)).findFirst()
          .map(g -> Math.min(g.channels(), counts.get(name) + m)).orElseThrow());
    }
  }

  /**
   * The counts of the largest common keep fraction whose multiply-adds are within {@code fraction}
   * of the original's. Counts change only at fractions {@code c / N}, so those are the candidates.
   */
  private static Map<String, Integer> flopsTargets(Architecture a,
      List<ChannelGroups.Group> groups, double fraction) {
    double budget = fraction * Flops.perExample(a);
    List<Double> fractions = new ArrayList<>();
    for (ChannelGroups.Group g : groups) {
      for (int c = 1; c <= g.channels(); c++) {
        fractions.add((double) c / g.channels());
      }
    }
    fractions.sort(Comparator.reverseOrder());
    Map<String, Integer> smallest = null;
    for (double f : fractions) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      groups.forEach(g -> counts.put(g.name(), count(f, g)));
      smallest = counts;
      if (Flops.perExample(FilterSurgery.shrink(a, counts)) <= budget) {
        return counts;
      }
    }
    return smallest;
  }

  private static int count(double fraction, ChannelGroups.Group group) {
    // The epsilon keeps c / N from rounding up to c + 1.
    return (int) Math.max(1, Math.min(group.channels(),
        Math.ceil(fraction * group.channels() - 1e-9)));
  }

  private Selection run() {
    Architecture a = model.architecture();
    List<ChannelGroups.Group> layers = considered(a, config.includeDense());
    boolean latencyGuided = latencyGuided(config.keep());
    boolean byAccuracy = config.keep() instanceof KeepRule.Accuracy;
    boolean greedy = config.selection() == SelectionMethod.GREEDY_FORWARD;
    Map<String, float[]> params = greedy && !latencyGuided ? Map.of() : model.parameters();
    Map<String, double[]> scores = new LinkedHashMap<>();
    if (latencyGuided) {
      // Greedy forward selection scores nothing before it runs; L1 norms stand in for it.
      SelectionMethod by = greedy ? SelectionMethod.L1_NORM : config.selection();
      layers.forEach(l -> scores.put(l.name(), scores(by, a, l, params)));
    }
    Map<String, Integer> targets = targets(a, layers, config.keep(), scores, config.latency());
    List<Chosen> chosen = new ArrayList<>();
    if (!greedy && !byAccuracy) {
      // Independent per-group ranking on the original weights: no network evaluation needed.
      for (ChannelGroups.Group l : layers) {
        List<Integer> order = ranking(config.selection(), a, l, params);
        chosen.add(new Chosen(l, order.subList(0, targets.get(l.name())), 1));
      }
      return new Selection(chosen, 0, 0);
    }
    PrunableModel graph = model.prunable();
    try (ModelGraph.Lease lease = graph.exclusive("prune");
        Subset subset = byAccuracy ? new Subset(train, config.accuracySubset(), random) : null) {
      SelectionGraph sg = SelectionGraph.of(graph);
      sg.restore();
      try {
        double threshold = byAccuracy
            ? ((KeepRule.Accuracy) config.keep()).fractionOfDense() * subset.accuracy(sg)
            : Double.NaN;
        BatchSampler sampler = new BatchSampler(train, config.subsampleSize(), true,
            config.seed() + 1);
        try (InputBatch batch = sampler.newBatch()) {
          for (ChannelGroups.Group l : layers) {
            int target = targets.get(l.name());
            if (target == l.channels() && !byAccuracy) {
              chosen.add(new Chosen(l, IntStream.range(0, target).boxed().toList(), 1));
              continue;
            }
            List<Integer> l1 = greedy ? null : ranking(config.selection(), a, l, params);
            chosen.add(grow(sg, l, target, l1, sampler, batch, subset, threshold));
          }
        }
      } finally {
        sg.restore();
      }
    }
    return new Selection(chosen, steps, evaluations);
  }

  /** Adds channels to {@code layer} one at a time until its target or the accuracy rule. */
  private Chosen grow(SelectionGraph sg, ChannelGroups.Group layer, int target, List<Integer> l1Order,
      BatchSampler sampler, InputBatch batch, Subset subset, double threshold) {
    String name = layer.name();
    int n = layer.channels();
    int k = Math.min(config.candidates(), n);
    boolean average = config.scaling() == Scaling.AVERAGE;
    sg.reset(name);
    List<Integer> selected = new ArrayList<>();
    List<Integer> remaining = new ArrayList<>(IntStream.range(0, n).boxed().toList());
    double scale = 1;
    while (selected.size() < target) {
      int best;
      if (l1Order != null) {
        best = l1Order.get(selected.size());
      } else {
        int real = Math.min(k, remaining.size());
        int[] candidates = sample(remaining, real, k);
        sampler.next(batch);
        // Frank-Wolfe with step 1/(n+1): the candidate joins as the (n+1)-th equal vertex.
        double candidateScale = average ? (double) n / (selected.size() + 1) : 1;
        float[] losses = sg.candidateLosses(name, candidates, candidateScale, batch);
        int arg = 0;
        for (int c = 1; c < real; c++) {
          if (losses[c] < losses[arg]) {
            arg = c;
          }
        }
        best = candidates[arg];
        evaluations += real;
      }
      steps++;
      sg.add(name, best);
      selected.add(best);
      remaining.remove(Integer.valueOf(best));
      if (average) {
        scale = (double) n / selected.size();
        sg.scale(name, scale);
      }
      if (subset != null && subset.accuracy(sg) >= threshold) {
        break;
      }
    }
    return new Chosen(layer, selected, scale);
  }

  /** {@code real} distinct random entries of {@code pool}, padded to {@code k} by repetition. */
  private int[] sample(List<Integer> pool, int real, int k) {
    List<Integer> copy = new ArrayList<>(pool);
    int[] out = new int[k];
    for (int i = 0; i < real; i++) {
      int j = i + random.nextInt(copy.size() - i);
      Integer t = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, t);
      out[i] = copy.get(i);
    }
    for (int i = real; i < k; i++) {
      out[i] = out[0];
    }
    return out;
  }

  /**
   * The group's channels from most to least important by a weight criterion, ties by index:
   * {@link SelectionMethod#L1_NORM} sums {@code |W|} over the output column of every producer
   * (Li et al. 2017, summed over the group as Torch-Pruning's group importance does);
   * {@link SelectionMethod#BN_SCALE} sums {@code |gamma|} over the group's BatchNorms (Liu et al.
   * 2017).
   *
   * @throws IllegalArgumentException for BN_SCALE on a group without a BatchNorm
   */
  static List<Integer> ranking(SelectionMethod method, Architecture a, ChannelGroups.Group group,
      Map<String, float[]> params) {
    double[] scores = scores(method, a, group, params);
    return IntStream.range(0, scores.length).boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i))
        .toList();
  }

  /** The score of each channel of the group by {@link #ranking}'s criterion (L1 or BN scale). */
  static double[] scores(SelectionMethod method, Architecture a, ChannelGroups.Group group,
      Map<String, float[]> params) {
    int out = group.channels();
    double[] scores = new double[out];
    if (method == SelectionMethod.BN_SCALE) {
      checkArgument(!group.norms().isEmpty(), "BN_SCALE ranks channels by BatchNorm scale, but"
          + " channel group %s (%s) has no BatchNorm; use L1_NORM or GREEDY_FORWARD, or"
          + " includeDense(false) if it is a dense layer's", group.name(), group.producers());
      for (String norm : group.norms()) {
        float[] gamma = params.get(a.layer(norm).key(LayerVariable.Role.GAMMA));
        int offset = group.offsetIn(norm);
        for (int c = 0; c < out; c++) {
          scores[c] += Math.abs(gamma[offset + c]);
        }
      }
    } else {
      for (String producer : group.producers()) {
        float[] kernel = params.get(a.layer(producer).kernelKey());
        for (int i = 0; i < kernel.length; i++) {
          scores[i % out] += Math.abs(kernel[i]);
        }
      }
    }
    return scores;
  }

  /** A fixed random subset of the training data on which the accuracy rule is checked. */
  private static final class Subset implements AutoCloseable {
    private final Dataset data;
    private final InputBatch batch;
    private final int[] order;
    private final int chunk;

    Subset(Dataset train, int size, Random random) {
      int n = Math.min(size, train.size());
      int[] all = IntStream.range(0, train.size()).toArray();
      for (int i = 0; i < n; i++) {
        int j = i + random.nextInt(all.length - i);
        int t = all[i];
        all[i] = all[j];
        all[j] = t;
      }
      this.data = train.select(java.util.Arrays.copyOf(all, n));
      this.chunk = Math.min(n, 1000);
      this.order = IntStream.range(0, n).toArray();
      this.batch = new InputBatch(chunk, data.height(), data.width(), data.channels());
    }

    double accuracy(SelectionGraph sg) {
      double correct = 0;
      for (int start = 0; start < data.size(); start += chunk) {
        int count = Math.min(chunk, data.size() - start);
        batch.fill(data, order, start, count);
        correct += sg.correct(batch);
      }
      return correct / data.size();
    }

    @Override
    public void close() {
      batch.close();
    }
  }
}
