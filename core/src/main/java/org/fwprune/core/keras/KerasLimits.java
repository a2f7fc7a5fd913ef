package org.fwprune.core.keras;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.core.check.Require;

/**
 * Upper bounds on what reading a Keras file may take, checked before and while bytes are read,
 * so that a zip bomb or a corrupt size field fails with an {@link java.io.IOException} instead of
 * exhausting memory.
 *
 * @param maxEntries most entries a {@code .keras} archive may list
 * @param maxConfigBytes most bytes of {@code config.json}, declared or inflated
 * @param maxWeightsBytes most bytes of {@code model.weights.h5} (declared or inflated) or of a
 *     legacy {@code .h5} file
 */
public record KerasLimits(int maxEntries, long maxConfigBytes, long maxWeightsBytes) {

  /** Largest weights size accepted at all: the weights are read into one Java array. */
  public static final long MAX_WEIGHTS_BYTES = Integer.MAX_VALUE - 8;

  /**
   * The defaults: 64 entries (Keras writes 3), a 16 MiB config (Keras' configs of large models
   * take a few hundred KiB) and {@link #MAX_WEIGHTS_BYTES} of weights, so that every Keras
   * Applications family loads (the largest, ConvNeXtXLarge, holds about 1.4 GB of weights); a
   * service reading untrusted files would set a lower weights bound.
   */
  public static final KerasLimits DEFAULT = new KerasLimits(64, 16L << 20, MAX_WEIGHTS_BYTES);

  /** Checks each bound against its allowed range. */
  public KerasLimits {
    checkArgument(maxEntries >= 2 && maxEntries <= 1 << 16,
        "maxEntries must be in [2, 65536], got %s", maxEntries);
    Require.inClosed("maxConfigBytes", maxConfigBytes, 1, Integer.MAX_VALUE - 8);
    Require.inClosed("maxWeightsBytes", maxWeightsBytes, 1, MAX_WEIGHTS_BYTES);
  }
}
