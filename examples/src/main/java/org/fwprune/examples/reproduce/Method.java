package org.fwprune.examples.reproduce;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The methods the paper's experiment compares, each applied to a copy of the same dense
 * checkpoint with the same budget of minibatch gradients (docs/algorithms.md), and
 * the structured methods of docs/structured.md, which remove whole filters and so build a
 * smaller network instead of masking weights.
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
  FW_MOMENTUM("fw-momentum", true),
  /**
   * Greedy forward selection of whole filters (the structured Frank-Wolfe view, {@link
   * org.fwprune.pruning.structured.StructuredPruner} with its defaults), then fine-tuning of the
   * smaller network. Not part of the paper's experiment: run only when asked for.
   */
  STRUCTURED_FW("structured-fw", true),
  /**
   * Filters of largest L1 norm, as many per layer as {@code structured-fw} keeps on the same
   * checkpoint and seed (so equal FLOPs), then fine-tuning of the smaller network. Not part of the
   * paper's experiment: run only when asked for.
   */
  STRUCTURED_L1("structured-l1", true),
  /**
   * {@code fw-momentum} with the vertex's {@code K} following the sparsity schedule in each
   * kernel ({@link org.fwprune.pruning.fw.SupportRule#SCHEDULE_PER_LAYER}). A variant of the
   * research study (docs/which-pruner.md): run only when asked for.
   */
  FW_TIGHTENING("fw-tightening", true),
  /**
   * {@code fw-momentum} with one K-sparse LMO over all kernels, {@code K} following the schedule
   * ({@link org.fwprune.pruning.fw.SupportRule#SCHEDULE_GLOBAL}). A research variant.
   */
  FW_GLOBAL_LMO("fw-global-lmo", true),
  /**
   * {@code fw-momentum} with the decaying momentum weights of Mokhtari, Hassani and Karbasi 2020
   * ({@link org.fwprune.pruning.schedule.MomentumSchedule#decaying()}). A research variant.
   */
  FW_DECAYING_MOMENTUM("fw-decaying-momentum", true),
  /**
   * {@code fw-momentum} with the classic step {@code 2 / (t + 2)} (Jaggi 2013). A research
   * variant.
   */
  FW_CLASSIC_STEP("fw-classic-step", true),
  /**
   * {@code fw-momentum} with a Frank-Wolfe step every 5 gradients instead of every 20, so the
   * iterate gets four times as many FW steps within the same budget. A research variant.
   */
  FW_FREQUENT("fw-frequent", true),
  /**
   * {@code fw-global-lmo} whose re-threshold keeps in each kernel as many weights as the global
   * vertex put there ({@link org.fwprune.pruning.fw.SupportRule#SCHEDULE_GLOBAL_LAYER_BUDGETS}):
   * layer budgets chosen by the LMO. A research variant.
   */
  FW_LAYER_BUDGETS("fw-layer-budgets", true);

  /** The methods of the paper's experiment: the dense baselines and the first four pruners. */
  public static final List<Method> PAPER = List.of(DENSE, DENSE_TRAINED_ON, ONE_SHOT,
      GRADUAL_MAGNITUDE, FW, FW_MOMENTUM);

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

  /**
   * Whether the method removes whole filters and so yields a new, smaller network rather than
   * changing the checkpoint's copy in place.
   */
  public boolean isStructured() {
    return this == STRUCTURED_FW || this == STRUCTURED_L1;
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
