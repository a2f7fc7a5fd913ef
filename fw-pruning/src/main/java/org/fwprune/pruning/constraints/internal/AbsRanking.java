package org.fwprune.pruning.constraints.internal;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * Ranks entries by absolute value, largest first, ties broken by the lower index; the Java twin of
 * TensorFlow's {@code TopKV2} on {@code |x|}.
 *
 * <p>Each entry becomes one {@code long} key: the IEEE bits of {@code |x_i|} in the high word (for
 * non-negative floats the bit pattern orders like the value) and {@code 0xFFFFFFFF - i} in the low
 * word, so one primitive sort orders by magnitude and, among equal magnitudes, puts the lower index
 * last in ascending order, which is first in descending order. No boxing, O(n log n).
 */
public final class AbsRanking {

  private static final long LOW_WORD = 0xFFFFFFFFL;

  private AbsRanking() {}

  /**
   * Keys of {@code values} in ascending rank order: the first key is the smallest magnitude (the
   * highest index among equal smallest magnitudes), the last is the largest magnitude (the lowest
   * index among equal largest magnitudes).
   *
   * @param values the entries; NaN is rejected
   * @param indexOffset added to each position to form the index stored in the key
   * @param keys destination, filled from {@code keyOffset}
   * @param what name of the array for error messages
   */
  public static void fillKeys(float[] values, int indexOffset, long[] keys, int keyOffset,
      String what) {
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      checkArgument(!Float.isNaN(v), "%s must not contain NaN, found NaN at index %s", what, i);
      long bits = Float.floatToIntBits(Math.abs(v));
      keys[keyOffset + i] = (bits << 32) | (LOW_WORD - (indexOffset + i));
    }
  }

  /** The index stored in a key made by {@link #fillKeys}. */
  public static int indexOf(long key) {
    return (int) (LOW_WORD - (key & LOW_WORD));
  }

  /**
   * Indices of the {@code k} largest {@code |values[i]|}, largest first, ties by lower index.
   *
   * @throws IllegalArgumentException if {@code values} holds NaN or {@code k} is outside [0, n]
   */
  public static int[] topIndices(float[] values, int k, String what) {
    checkArgument(
        k >= 0 && k <= values.length,
        "k must be in [0, %s] (the number of entries), got %s",
        values.length,
        k);
    long[] keys = new long[values.length];
    fillKeys(values, 0, keys, 0, what);
    Arrays.sort(keys);
    int[] top = new int[k];
    for (int j = 0; j < k; j++) {
      top[j] = indexOf(keys[keys.length - 1 - j]);
    }
    return top;
  }

  /**
   * {@code -r sign(g)}, with {@code sign(0) = 0} giving {@code +0.0f} (not {@code -0.0f}, which
   * {@code -r * Math.signum(0f)} would give).
   */
  public static float vertexEntry(float g, double radius) {
    return g == 0f ? 0f : (float) (-radius * Math.signum(g));
  }
}
