package org.fwprune.examples.study;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.core.check.Require;

/**
 * One of {@code count} disjoint parts of an experiment's cells: part {@code index} runs the cells
 * whose position in the full cell list, modulo {@code count}, is {@code index - 1}.
 *
 * @param index the part, in [1, count]
 * @param count the number of parts, in [1, 10000]
 */
public record Shard(int index, int count) {

  /** Largest accepted number of parts. */
  public static final int MAX_COUNT = 10_000;

  /** The whole experiment as a single part. */
  public static final Shard ALL = new Shard(1, 1);

  /** Checks the ranges. */
  public Shard {
    Require.inClosed("shard count", count, 1, MAX_COUNT);
    Require.inClosed("shard index", index, 1, count);
  }

  /**
   * Parses {@code K/N}, e.g. {@code 2/4}.
   *
   * @throws IllegalArgumentException if the text is not two integers around a slash, or out of
   *     range
   */
  public static Shard parse(String text) {
    String[] parts = text == null ? new String[0] : text.trim().split("/", -1);
    checkArgument(parts.length == 2 && parts[0].matches("\\d{1,5}") && parts[1].matches("\\d{1,5}"),
        "expected a shard as K/N (e.g. 2/4), found '%s'", text);
    return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
  }

  /** Whether the cell at {@code position} (0-based) of the full list belongs to this part. */
  public boolean contains(int position) {
    return position % count == index - 1;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
