package org.fwprune.examples.reproduce;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.fwprune.pruning.catalogue.PruningMethod;

/**
 * A column of the paper's experiment: one of the two dense baselines, or a method of the
 * library's catalogue ({@link PruningMethod}), each applied to a copy of the same dense checkpoint
 * with the same budget of minibatch gradients (docs/algorithms.md). The pruning methods are not
 * listed here but taken from the catalogue, so a method added there is a column here too.
 * Instances are canonical: compare with {@code ==} or {@link #equals}.
 */
public final class Method implements Comparable<Method> {

  /** The checkpoint as it is: no further training. */
  public static final Method DENSE = new Method("dense", Optional.empty());
  /** The checkpoint trained on, dense, for the fine-tune budget with the fine-tune optimizer. */
  public static final Method DENSE_TRAINED_ON = new Method("dense-trained-on", Optional.empty());

  private static final List<Method> VALUES = values(DENSE, DENSE_TRAINED_ON);

  /** Magnitude pruning to the target at once ({@link PruningMethod#ONE_SHOT}). */
  public static final Method ONE_SHOT = of(PruningMethod.ONE_SHOT);
  /** Gradual magnitude pruning ({@link PruningMethod#GRADUAL_MAGNITUDE}). */
  public static final Method GRADUAL_MAGNITUDE = of(PruningMethod.GRADUAL_MAGNITUDE);
  /** Plain stochastic Frank-Wolfe ({@link PruningMethod#FW}). */
  public static final Method FW = of(PruningMethod.FW);
  /** Frank-Wolfe with momentum, the library defaults ({@link PruningMethod#FW_MOMENTUM}). */
  public static final Method FW_MOMENTUM = of(PruningMethod.FW_MOMENTUM);
  /** Greedy forward filter selection ({@link PruningMethod#STRUCTURED_FW}): run when named. */
  public static final Method STRUCTURED_FW = of(PruningMethod.STRUCTURED_FW);
  /** L1-norm filters at equal FLOPs ({@link PruningMethod#STRUCTURED_L1}): run when named. */
  public static final Method STRUCTURED_L1 = of(PruningMethod.STRUCTURED_L1);

  /** The methods of the paper's experiment: the dense baselines and the first four pruners. */
  public static final List<Method> PAPER = List.of(DENSE, DENSE_TRAINED_ON, ONE_SHOT,
      GRADUAL_MAGNITUDE, FW, FW_MOMENTUM);

  private final String id;
  private final Optional<PruningMethod> pruning;

  private Method(String id, Optional<PruningMethod> pruning) {
    this.id = id;
    this.pruning = pruning;
  }

  private static List<Method> values(Method... dense) {
    List<Method> all = new ArrayList<>(List.of(dense));
    for (PruningMethod m : PruningMethod.values()) {
      all.add(new Method(m.id(), Optional.of(m)));
    }
    return List.copyOf(all);
  }

  /** The column of catalogue method {@code method}. */
  public static Method of(PruningMethod method) {
    return fromId(method.id());
  }

  /** Every column: the two dense baselines, then the catalogue's methods in its order. */
  public static List<Method> values() {
    return VALUES;
  }

  /** The name used on the command line and in result files, e.g. {@code fw-momentum}. */
  @JsonValue
  public String id() {
    return id;
  }

  /** The catalogue method this column applies; empty for the two dense baselines. */
  public Optional<PruningMethod> pruning() {
    return pruning;
  }

  /** Whether the method prunes (every method but the two dense ones). */
  public boolean isPruning() {
    return pruning.isPresent();
  }

  /**
   * Whether the method removes whole filters and so yields a new, smaller network rather than
   * changing the checkpoint's copy in place.
   */
  public boolean isStructured() {
    return pruning.map(PruningMethod::isStructured).orElse(false);
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
    for (Method m : VALUES) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException("expected a method among " + ids() + ", found '" + id
        + "'");
  }

  /** Every method's name, comma-separated, in declaration order. */
  public static String ids() {
    return VALUES.stream().map(Method::id).collect(Collectors.joining(", "));
  }

  /** The position in {@link #values()}: the order of tables and the colour of charts. */
  public int ordinal() {
    return VALUES.indexOf(this);
  }

  /** Orders as {@link #values()} does. */
  @Override
  public int compareTo(Method other) {
    return Integer.compare(ordinal(), other.ordinal());
  }

  @Override
  public String toString() {
    return id;
  }
}
