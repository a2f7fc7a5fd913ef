package org.fwprune.core.keras.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Names the weight groups of a {@code .keras} archive as Keras 3's saver does: not by layer name
 * but by the layer's class in snake case, numbered per class in the model's layer order
 * ({@code conv2d}, {@code conv2d_1}, {@code batch_normalization}, ...), so that reading and
 * writing agree with Keras. Feed it every layer of the model in order, weighted or not.
 */
public final class ArchiveWeightNames {

  private final Map<String, Integer> used = new HashMap<>();

  /** The group name of the next layer, of Keras class {@code kerasClass} (e.g. {@code Conv2D}). */
  public String next(String kerasClass) {
    String base = snakeCase(kerasClass);
    int n = used.merge(base, 1, Integer::sum) - 1;
    return n == 0 ? base : base + "_" + n;
  }

  /** {@code BatchNormalization} to {@code batch_normalization}, {@code ReLU} to {@code re_lu}. */
  static String snakeCase(String name) {
    String s = name.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
