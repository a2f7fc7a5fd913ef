package org.fwprune.pruning.structured;

import com.google.common.collect.ImmutableList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fwprune.core.Cnn;

/**
 * What a structured pruning run produced and cost. Holds the new, smaller model: close the result
 * (or the model) when done.
 *
 * @param model the smaller, fine-tuned network; owned by the caller
 * @param method the pruner's settings, as its {@code toString()}
 * @param layers per pruned layer: its filters before and the ones kept
 * @param parametersBefore trainable parameters of the original model
 * @param parametersAfter trainable parameters of {@link #model}
 * @param flopsBefore multiply-adds per example of the original model ({@link Flops})
 * @param flopsAfter multiply-adds per example of {@link #model}
 * @param selectionSteps filters added one at a time during selection (0 when no step needed the
 *     network, e.g. L1 norms with fixed counts)
 * @param candidateEvaluations candidate networks whose minibatch loss was computed
 * @param fineTuneSteps optimizer steps of the fine-tune
 * @param selectionSeconds wall time of the selection
 * @param seconds wall time of the whole run
 * @param accuracyBefore validation accuracy of the original model, NaN without a validation set
 * @param accuracyPruned validation accuracy of the smaller model before fine-tuning
 * @param accuracyAfter validation accuracy of the smaller model after fine-tuning
 * @param layerCosts per conv, dense and BatchNorm layer: its group, filters, parameters and
 *     multiply-adds before and after
 * @param leftWhole channel groups that could not be shrunk exactly, each with the reason
 * @param latency the {@link LatencyTable} that {@link KeepRule#flops(double)} or {@link
 *     KeepRule#filters(double)} allocated the widths by (given or measured); empty for the other
 *     rules. Give it to {@link StructuredPruner.Builder#latencyTable} to repeat the widths.
 */
public record StructuredResult(Cnn model, String method, List<LayerSelection> layers,
    long parametersBefore, long parametersAfter, long flopsBefore, long flopsAfter,
    long selectionSteps, long candidateEvaluations, long fineTuneSteps, double selectionSeconds,
    double seconds, double accuracyBefore, double accuracyPruned, double accuracyAfter,
    List<LayerCost> layerCosts, List<ChannelGroups.Group> leftWhole,
    Optional<LatencyTable> latency) implements AutoCloseable {

  /** Copies the lists. */
  public StructuredResult {
    latency = Objects.requireNonNull(latency, "latency");
    layers = ImmutableList.copyOf(layers);
    layerCosts = ImmutableList.copyOf(layerCosts);
    leftWhole = ImmutableList.copyOf(leftWhole);
  }

  /**
   * The channels one group kept: the filters (conv) or units (dense) of its layers.
   *
   * @param name the group, named by its first producing layer, e.g. {@code conv2d_1}
   * @param before its channels in the original model
   * @param kept indices of the kept filters in the original model, ascending
   * @param scale factor folded into the kept kernel and bias (1 unless {@link Scaling#AVERAGE})
   */
  public record LayerSelection(String name, int before, List<Integer> kept, double scale) {
    /** Copies the list. */
    public LayerSelection {
      kept = ImmutableList.copyOf(kept);
    }

    /** Filters kept. */
    public int after() {
      return kept.size();
    }
  }

  /** Kept channels per group, in layer order; feed to {@link KeepRule#counts} for equal FLOPs. */
  public Map<String, Integer> keptCounts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    layers.forEach(l -> out.put(l.name(), l.after()));
    return out;
  }

  /** Multiply-adds of the original over those of the smaller model. */
  public double flopsReduction() {
    return (double) flopsBefore / flopsAfter;
  }

  @Override
  public void close() {
    model.close();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(method).append(System.lineSeparator());
    for (LayerSelection l : layers) {
      sb.append(String.format(Locale.ROOT, "%-12s %5d -> %5d filters%s%n", l.name(), l.before(),
          l.after(), l.scale() == 1 ? "" : String.format(Locale.ROOT, " (scale %.3f)", l.scale())));
    }
    if (!layerCosts.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%-24s %-12s %15s %21s %25s%n", "layer", "group",
          "filters", "parameters", "multiply-adds"));
      for (LayerCost c : layerCosts) {
        sb.append(String.format(Locale.ROOT, "%-24s %-12s %6d -> %5d %,9d -> %,9d %,11d -> %,11d%n",
            c.layer(), c.group(), c.filtersBefore(), c.filtersAfter(), c.parametersBefore(),
            c.parametersAfter(), c.macsBefore(), c.macsAfter()));
      }
    }
    latency.ifPresent(t -> {
      Map<String, Integer> before = new LinkedHashMap<>();
      layers.forEach(l -> before.put(l.name(), l.before()));
      sb.append(String.format(Locale.ROOT, "widths %s from a latency table at batch %d%s:"
          + " predicted %.4f -> %.4f ms/example%n", keptCounts().values(), t.batchSize(),
          t.measurementSeconds() > 0 ? String.format(Locale.ROOT, " measured in %.1f s",
              t.measurementSeconds()) : "", t.predictedSeconds(before, Map.of()) * 1e3,
          t.predictedSeconds(before, keptCounts()) * 1e3));
    });
    for (ChannelGroups.Group g : leftWhole) {
      sb.append(String.format(Locale.ROOT, "left whole: %s %s: %s%n", g.name(), g.members(),
          g.whole().orElse("")));
    }
    sb.append(String.format(Locale.ROOT,
        "parameters %,d -> %,d; multiply-adds per example %,d -> %,d (%.2fx fewer)%n",
        parametersBefore, parametersAfter, flopsBefore, flopsAfter, flopsReduction()));
    sb.append(String.format(Locale.ROOT,
        "%d selection steps, %d candidate evaluations, %d fine-tune steps, %.1f s (selection %.1f s)",
        selectionSteps, candidateEvaluations, fineTuneSteps, seconds, selectionSeconds));
    if (!Double.isNaN(accuracyBefore)) {
      sb.append(String.format(Locale.ROOT,
          "; validation accuracy %.4f -> %.4f (pruned) -> %.4f (fine-tuned)", accuracyBefore,
          accuracyPruned, accuracyAfter));
    }
    return sb.append(System.lineSeparator()).toString();
  }
}
