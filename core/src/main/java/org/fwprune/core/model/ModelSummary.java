package org.fwprune.core.model;

import java.util.List;
import java.util.Locale;

/**
 * Formats an {@link Architecture} as a Keras-like table of layers, output shapes and parameters;
 * a graph that is not a plain chain also gets Keras' "Connected to" column.
 */
public final class ModelSummary {

  private ModelSummary() {}

  public static String format(Architecture a) {
    boolean graph = !a.sequential();
    String row = graph ? "%-34s %-22s %12s  %s%n" : "%-28s %-22s %12s%s%n";
    StringBuilder sb = new StringBuilder();
    String rule = "=".repeat(graph ? 96 : 64) + System.lineSeparator();
    sb.append(String.format(Locale.ROOT, row, "Layer (type)", "Output Shape", "Param #",
        graph ? "Connected to" : ""));
    sb.append(rule);
    sb.append(String.format(Locale.ROOT, row, Architecture.INPUT + " (InputLayer)",
        shape(List.of(a.height(), a.width(), a.channels())), "0", ""));
    for (Layer layer : a.resolvedLayers()) {
      sb.append(String.format(Locale.ROOT, row,
          layer.name() + " (" + layer.spec().displayName() + ")",
          shape(layer.outputShape()),
          String.format(Locale.ROOT, "%,d", layer.parameterCount() + layer.nonTrainableCount()),
          graph ? String.join(", ", layer.inputs()) : ""));
    }
    sb.append(rule);
    long trainable = a.parameterCount();
    long frozen = a.nonTrainableCount();
    sb.append(String.format(Locale.ROOT, "Total params: %,d%n", trainable + frozen));
    sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable));
    if (frozen > 0) {
      sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", frozen));
    }
    return sb.toString();
  }

  private static String shape(List<Integer> dims) {
    StringBuilder sb = new StringBuilder("(None");
    dims.forEach(d -> sb.append(", ").append(d));
    return sb.append(')').toString();
  }
}
