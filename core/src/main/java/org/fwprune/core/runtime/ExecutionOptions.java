package org.fwprune.core.runtime;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * How a model's graph runs: session threads, the number format of its products
 * ({@link Precision}) and whether TensorFlow compiles it with XLA. Runtime settings, not saved
 * with the model.
 *
 * @param threads the session's intra- and inter-op threads
 * @param precision the number format of convolutions and dense products
 * @param xla whether the session compiles the graph's clusters with XLA's JIT
 *     ({@code global_jit_level = ON_1}, on CPU too)
 */
public record ExecutionOptions(ModelGraph.Threads threads, Precision precision, boolean xla) {

  /** Every core, float32, no XLA. */
  public static final ExecutionOptions DEFAULT =
      new ExecutionOptions(new ModelGraph.Threads(0, 0), Precision.FLOAT32, false);

  /** Checks that no setting is null. */
  public ExecutionOptions {
    checkArgument(threads != null, "threads must not be null");
    checkArgument(precision != null, "precision must not be null; use Precision.FLOAT32");
  }

  /** The default options with other threads. */
  public static ExecutionOptions of(ModelGraph.Threads threads) {
    return DEFAULT.withThreads(threads);
  }

  /** These options with other threads. */
  public ExecutionOptions withThreads(ModelGraph.Threads threads) {
    return new ExecutionOptions(threads, precision, xla);
  }

  /** These options with another precision. */
  public ExecutionOptions withPrecision(Precision precision) {
    return new ExecutionOptions(threads, precision, xla);
  }

  /** These options with XLA compilation on or off. */
  public ExecutionOptions withXla(boolean xla) {
    return new ExecutionOptions(threads, precision, xla);
  }
}
