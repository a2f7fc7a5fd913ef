package org.fwprune.core.model;

import java.util.List;
import java.util.Locale;

/** Formats an {@link Architecture} as a Keras-like table of layers, output shapes and parameters. */
final class ModelSummary {

  private ModelSummary() {}

  static String format(Architecture a) {
    String row = "%-28s %-22s %12s%n";
    StringBuilder sb = new StringBuilder();
    String rule = "=".repeat(64) + System.lineSeparator();
    sb.append(String.format(Locale.ROOT, row, "Layer (type)", "Output Shape", "Param #"));
    sb.append(rule);
    sb.append(String.format(Locale.ROOT, row, "input (InputLayer)",
        shape(List.of(a.height(), a.width(), a.channels())), "0"));
    for (Layer layer : a.resolvedLayers()) {
      sb.append(String.format(Locale.ROOT, row,
          layer.name() + " (" + layer.spec().displayName() + ")",
          shape(layer.outputShape()),
          String.format(Locale.ROOT, "%,d", layer.parameterCount())));
    }
    sb.append(rule);
    sb.append(String.format(Locale.ROOT, "Total params: %,d%n", a.parameterCount()));
    sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", a.parameterCount()));
    return sb.toString();
  }

  private static String shape(List<Integer> dims) {
    StringBuilder sb = new StringBuilder("(None");
    dims.forEach(d -> sb.append(", ").append(d));
    return sb.append(')').toString();
  }
}
