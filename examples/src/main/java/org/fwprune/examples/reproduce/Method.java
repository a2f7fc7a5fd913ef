package org.fwprune.examples.reproduce;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The methods the paper's experiment compares, each applied to a copy of the same dense
 * checkpoint with the same budget of minibatch gradients (ALGORITHMS.md, "Measured here").
 */
public enum Method {
  /** The checkpoint as it is: no further training. */
  DENSE("dense", false),
  /** The checkpoint trained on, dense, for the fine-tune budget with the fine-tune optimizer. */
  DENSE_TRAINED_ON("dense-trained-on", false),
  /** Magnitude pruning to the target at once, then fine-tuning with the mask fixed. */
  ONE_SHOT("one-shot", true),
  /** Magnitude pruning on the cubic schedule of Zhu and Gupta 2017 while fine-tuning. */
  GRADUAL_MAGNITUDE("gradual-magnitude", true),
  /** Plain stochastic Frank-Wolfe pruning: no momentum, constant target sparsity, alpha 0.05. */
  FW("fw", true),
  /** Frank-Wolfe pruning with momentum and a cubic sparsity schedule (the library defaults). */
  FW_MOMENTUM("fw-momentum", true);

  private final String id;
  private final boolean pruning;

  Method(String id, boolean pruning) {
    this.id = id;
    this.pruning = pruning;
  }

  /** The name used on the command line and in result files, e.g. {@code fw-momentum}. */
  @JsonValue
  public String id() {
    return id;
  }

  /** Whether the method prunes (every method but the two dense ones). */
  public boolean isPruning() {
    return pruning;
  }

  /** Whether the method trains with a learning rate, which the tuning phase then chooses. */
  public boolean isTuned() {
    return this != DENSE;
  }

  /**
   * The method named {@code id}.
   *
   * @throws IllegalArgumentException if no method has that name; the message lists the names
   */
  @JsonCreator
  public static Method fromId(String id) {
    for (Method m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException("expected a method among " + ids() + ", found '" + id
        + "'");
  }

  /** Every method's name, comma-separated, in declaration order. */
  public static String ids() {
    return Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
