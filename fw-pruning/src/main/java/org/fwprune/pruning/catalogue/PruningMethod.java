package org.fwprune.pruning.catalogue;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.fwprune.core.check.Require;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.Pruner;
import org.fwprune.pruning.fw.SupportRule;
import org.fwprune.pruning.schedule.MomentumSchedule;
import org.fwprune.pruning.schedule.StepSize;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.SelectionMethod;
import org.fwprune.pruning.structured.StructuredPruner;

/**
 * Every pruning method of fwprune, each built from the same {@link MethodSettings}: the one list
 * that the {@code prune} command, the paper's reproduction and the studies draw from. A new method
 * is one constant here and one arm of {@link #pruner} or {@link #filterSelection}.
 *
 * <p>The unstructured methods mask weights in place ({@link #pruner}); the structured ones remove
 * whole filters and so build a new, smaller network ({@link #filterSelection}), which the caller
 * then fine-tunes.
 */
public enum PruningMethod {
  /** Magnitude pruning to the target at once, then fine-tuning with the mask fixed. */
  ONE_SHOT("one-shot"),
  /** Magnitude pruning on the cubic schedule of Zhu and Gupta 2017 while fine-tuning. */
  GRADUAL_MAGNITUDE("gradual-magnitude"),
  /** Plain stochastic Frank-Wolfe: no momentum, the target from the start, alpha {@value #FW_ALPHA}. */
  FW("fw"),
  /** Frank-Wolfe pruning with momentum and a cubic sparsity schedule (the library defaults). */
  FW_MOMENTUM("fw-momentum"),
  /**
   * Greedy forward selection of whole filters ({@link StructuredPruner} with its defaults, the
   * setting docs/structured.md chose).
   */
  STRUCTURED_FW("structured-fw"),
  /**
   * Filters of largest L1 norm, as many per layer as {@code structured-fw} keeps on the same
   * checkpoint and seed (so equal FLOPs).
   */
  STRUCTURED_L1("structured-l1"),
  /** {@code fw-momentum} with {@code K} following the schedule in each kernel. */
  FW_TIGHTENING("fw-tightening"),
  /** {@code fw-momentum} with one K-sparse LMO over all kernels, {@code K} on the schedule. */
  FW_GLOBAL_LMO("fw-global-lmo"),
  /** {@code fw-momentum} with the decaying momentum of Mokhtari, Hassani and Karbasi 2020. */
  FW_DECAYING_MOMENTUM("fw-decaying-momentum"),
  /** {@code fw-momentum} with the classic step {@code 2 / (t + 2)} (Jaggi 2013). */
  FW_CLASSIC_STEP("fw-classic-step"),
  /** {@code fw-momentum} with a Frank-Wolfe step every {@value #FREQUENT_EVERY} gradients, not 20. */
  FW_FREQUENT("fw-frequent"),
  /**
   * {@code fw-global-lmo} whose re-threshold keeps in each kernel as many weights as the global
   * vertex put there: layer budgets chosen by the LMO.
   */
  FW_LAYER_BUDGETS("fw-layer-budgets");

  /** Alpha of the gradient-rescaled step of plain {@code fw} (the reference's FW row). */
  public static final double FW_ALPHA = 0.05;

  /** Gradients between two Frank-Wolfe steps of {@code fw-frequent}. */
  public static final int FREQUENT_EVERY = 5;

  private final String id;

  PruningMethod(String id) {
    this.id = id;
  }

  /** The name used on the command line and in result files, e.g. {@code fw-momentum}. */
  public String id() {
    return id;
  }

  /**
   * Whether the method removes whole filters and so yields a new, smaller network rather than
   * masking the model in place.
   */
  public boolean isStructured() {
    return this == STRUCTURED_FW || this == STRUCTURED_L1;
  }

  /**
   * The pruner of this unstructured method with {@code settings}.
   *
   * @throws IllegalArgumentException for a structured method, which cannot work in place
   */
  public Pruner pruner(MethodSettings settings) {
    Require.notNull("settings", settings);
    return switch (this) {
      case ONE_SHOT -> settings.applyTo(MagnitudePruner.builder()
          .mode(MagnitudePruner.Mode.ONE_SHOT)).build();
      case GRADUAL_MAGNITUDE -> settings.applyTo(MagnitudePruner.builder()
          .mode(MagnitudePruner.Mode.GRADUAL)).build();
      case FW -> fw(settings).momentum(0).initialSparsity(settings.targetSparsity())
          .stepSize(StepSize.gradientRescaled(FW_ALPHA)).build();
      case FW_MOMENTUM -> fw(settings).build();
      case FW_TIGHTENING -> fw(settings).support(SupportRule.SCHEDULE_PER_LAYER).build();
      case FW_GLOBAL_LMO -> fw(settings).support(SupportRule.SCHEDULE_GLOBAL).build();
      case FW_DECAYING_MOMENTUM -> fw(settings)
          .momentumSchedule(MomentumSchedule.decaying()).build();
      case FW_CLASSIC_STEP -> fw(settings).stepSize(StepSize.classic()).build();
      case FW_FREQUENT -> fw(settings).frequency(FREQUENT_EVERY).build();
      case FW_LAYER_BUDGETS -> fw(settings)
          .support(SupportRule.SCHEDULE_GLOBAL_LAYER_BUDGETS).build();
      case STRUCTURED_FW, STRUCTURED_L1 -> throw new IllegalArgumentException(id
          + " builds a new, smaller network and cannot prune a model in place; use"
          + " filterSelection");
    };
  }

  /**
   * The filter selection of this structured method with {@code settings}' minibatch and seed: a
   * {@link StructuredPruner} that selects and shrinks without fine-tuning or re-estimating
   * BatchNorm statistics, so that the caller fine-tunes the smaller network with the same budget
   * as every other method.
   *
   * @param greedyCounts for {@code structured-l1}: the filters per layer {@code structured-fw}
   *     keeps on the same model and seed ({@link
   *     org.fwprune.pruning.structured.StructuredResult#keptCounts}); must be empty for {@code
   *     structured-fw}, which chooses its own
   * @throws IllegalArgumentException for an unstructured method, or counts that do not fit
   */
  public StructuredPruner filterSelection(MethodSettings settings,
      Optional<Map<String, Integer>> greedyCounts) {
    Require.notNull("settings", settings);
    Require.notNull("greedyCounts", greedyCounts);
    checkArgument(isStructured(), "expected a structured method, found %s", id);
    checkArgument(this == STRUCTURED_L1 || greedyCounts.isEmpty(),
        "structured-fw chooses its own counts, found %s", greedyCounts);
    checkArgument(this == STRUCTURED_FW || greedyCounts.isPresent(),
        "structured-l1 keeps as many filters as structured-fw: give its counts");
    SelectionMethod selection = this == STRUCTURED_FW ? SelectionMethod.GREEDY_FORWARD
        : SelectionMethod.L1_NORM;
    KeepRule keep = greedyCounts.map(KeepRule::counts).orElse(StructuredPruner.DEFAULT_KEEP);
    // No re-estimation here: the caller's fine-tune ends with it, as every method does.
    return StructuredPruner.builder().selection(selection).keep(keep).fineTuneSteps(0)
        .batchNormRecalibration(0).batchSize(settings.batchSize()).seed(settings.seed()).build();
  }

  /**
   * The method named {@code id}.
   *
   * @throws IllegalArgumentException if no method has that name; the message lists the names
   */
  public static PruningMethod fromId(String id) {
    for (PruningMethod m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException("expected a pruning method among " + ids() + ", found '"
        + id + "'");
  }

  /** Every method's name, comma-separated, in declaration order. */
  public static String ids() {
    return Arrays.stream(values()).map(PruningMethod::id).collect(Collectors.joining(", "));
  }

  private static FwPruner.Builder fw(MethodSettings settings) {
    return settings.applyTo(FwPruner.builder());
  }

  @Override
  public String toString() {
    return id;
  }
}
