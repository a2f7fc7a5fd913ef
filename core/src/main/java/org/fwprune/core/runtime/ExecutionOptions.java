package org.fwprune.core.runtime;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Objects;

/**
 * How a model's graph runs: session threads, the number format of its products
 * ({@link Precision}) and whether TensorFlow compiles it with XLA. Runtime settings, not saved
 * with the model; the same options apply wherever a model comes from ({@code Cnn.builder()},
 * {@code Cnn.of}, {@code Cnn.load}, {@code Cnn.loadKeras}).
 *
 * <pre>{@code
 * ExecutionOptions options = ExecutionOptions.builder().threads(4, 1)
 *     .precision(Precision.BFLOAT16_MIXED).build();
 * }</pre>
 */
public final class ExecutionOptions {

  /** Most threads of either kind a session may be given. */
  public static final int MAX_THREADS = 1024;
  /** Every core, float32, no XLA. */
  public static final ExecutionOptions DEFAULT =
      new ExecutionOptions(Threads.ALL_CORES, Precision.FLOAT32, false);

  /**
   * The session's threads: {@code intraOp} within one op, {@code interOp} across ops, each in
   * [0, {@value ExecutionOptions#MAX_THREADS}]; 0 lets TensorFlow use every core.
   *
   * @param intraOp threads that one op's kernel may use
   * @param interOp ops that may run at the same time
   */
  public record Threads(int intraOp, int interOp) {

    /** TensorFlow's choice for both (every core). */
    public static final Threads ALL_CORES = new Threads(0, 0);

    /** Checks that both counts are in [0, {@value ExecutionOptions#MAX_THREADS}]. */
    public Threads {
      checkArgument(intraOp >= 0 && intraOp <= MAX_THREADS,
          "intra-op threads must be in [0, %s], got %s", MAX_THREADS, intraOp);
      checkArgument(interOp >= 0 && interOp <= MAX_THREADS,
          "inter-op threads must be in [0, %s], got %s", MAX_THREADS, interOp);
    }
  }

  private final Threads threads;
  private final Precision precision;
  private final boolean xla;

  private ExecutionOptions(Threads threads, Precision precision, boolean xla) {
    this.threads = threads;
    this.precision = precision;
    this.xla = xla;
  }

  /** A builder starting from {@link #DEFAULT}. */
  public static Builder builder() {
    return new Builder(DEFAULT);
  }

  /** A builder starting from these options, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The session's intra- and inter-op threads. */
  public Threads threads() {
    return threads;
  }

  /** The number format of convolutions and dense products. */
  public Precision precision() {
    return precision;
  }

  /**
   * Whether the session compiles the graph's clusters with XLA's JIT
   * ({@code global_jit_level = ON_1}, on CPU too).
   */
  public boolean xla() {
    return xla;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExecutionOptions other && threads.equals(other.threads)
        && precision == other.precision && xla == other.xla;
  }

  @Override
  public int hashCode() {
    return Objects.hash(threads, precision, xla);
  }

  @Override
  public String toString() {
    return "ExecutionOptions[intraOpThreads=" + threads.intraOp() + ", interOpThreads="
        + threads.interOp() + ", precision=" + precision + ", xla=" + xla + "]";
  }

  /** Sets the options one by one; each setter checks its value. */
  public static final class Builder {
    private Threads threads;
    private Precision precision;
    private boolean xla;

    private Builder(ExecutionOptions start) {
      this.threads = start.threads;
      this.precision = start.precision;
      this.xla = start.xla;
    }

    /**
     * Session threads: {@code intraOp} within one op, {@code interOp} across ops, each in
     * [0, {@value ExecutionOptions#MAX_THREADS}]; 0 means TensorFlow's choice (every core).
     * Default 0 and 0.
     */
    public Builder threads(int intraOp, int interOp) {
      this.threads = new Threads(intraOp, interOp);
      return this;
    }

    /** Session threads as a pair; see {@link #threads(int, int)}. */
    public Builder threads(Threads threads) {
      checkArgument(threads != null, "threads must not be null; use Threads.ALL_CORES");
      this.threads = threads;
      return this;
    }

    /**
     * Number format of the convolution and dense products, one of
     * {@link Precision#values()} (default {@link Precision#FLOAT32}).
     */
    public Builder precision(Precision precision) {
      checkArgument(precision != null, "precision must be one of %s, got null",
          Arrays.toString(Precision.values()));
      this.precision = precision;
      return this;
    }

    /** Whether TensorFlow compiles the graph with XLA's JIT (default false). */
    public Builder xla(boolean xla) {
      this.xla = xla;
      return this;
    }

    /** The options set so far. */
    public ExecutionOptions build() {
      return new ExecutionOptions(threads, precision, xla);
    }
  }
}
