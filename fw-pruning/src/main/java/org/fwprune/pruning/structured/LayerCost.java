package org.fwprune.pruning.structured;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;

/**
 * One parameterised layer's size before and after structured pruning: the per-layer report of a
 * {@link StructuredResult}.
 *
 * @param layer the conv, dense or BatchNorm layer
 * @param group the channel group its output belongs to ({@link ChannelGroups.Group#name()})
 * @param filtersBefore output channels (filters, units) before
 * @param filtersAfter output channels after
 * @param parametersBefore trainable parameters before
 * @param parametersAfter trainable parameters after
 * @param macsBefore multiply-adds per example before ({@link Flops}; 0 for a BatchNorm)
 * @param macsAfter multiply-adds per example after
 */
public record LayerCost(String layer, String group, int filtersBefore, int filtersAfter,
    long parametersBefore, long parametersAfter, long macsBefore, long macsAfter) {

  /**
   * Every layer with parameters of {@code before}, matched by name in {@code after} (the output of
   * {@link FilterSurgery#shrink(Architecture, Map)}, which keeps the names), in node order.
   */
  static List<LayerCost> compare(Architecture before, Architecture after) {
    ChannelGroups groups = ChannelGroups.of(before);
    Map<String, Long> macs = Flops.perLayer(before);
    Map<String, Long> macsAfter = Flops.perLayer(after);
    List<LayerCost> out = new ArrayList<>();
    for (Layer b : before.resolvedLayers()) {
      if (b.parameterCount() == 0) {
        continue;
      }
      Layer a = after.layer(b.name());
      out.add(new LayerCost(b.name(),
          groups.groupOf(b.name()).map(ChannelGroups.Group::name).orElse(b.name()), b.channels(),
          a.channels(), b.parameterCount(), a.parameterCount(), macs.getOrDefault(b.name(), 0L),
          macsAfter.getOrDefault(b.name(), 0L)));
    }
    return out;
  }
}
