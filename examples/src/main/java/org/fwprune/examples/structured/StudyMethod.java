package org.fwprune.examples.structured;

import java.util.Arrays;
import java.util.Optional;
import org.fwprune.pruning.structured.SelectionMethod;

/**
 * The rows of the structured-pruning study. Every method but {@link #DENSE} starts from the same
 * dense checkpoint and gets one more epoch of SGD with momentum: as a plain epoch, as the
 * fine-tune of a structured pruner, or as the epoch during which GMP prunes.
 */
public enum StudyMethod {
  /** The dense checkpoint as it is. */
  DENSE("dense", null),
  /** The dense checkpoint trained on for the fine-tune epoch. */
  DENSE_TRAINED_ON("dense-trained-on", null),
  /** Unstructured gradual magnitude pruning to 90% over the epoch (the reference). */
  GMP("gmp-90", null),
  /** Greedy forward selection over channel groups (Ye et al. 2020), then the fine-tune. */
  GREEDY("greedy", SelectionMethod.GREEDY_FORWARD),
  /** Largest L1 norm summed over the group's layers (Li et al. 2017), then the fine-tune. */
  L1("l1", SelectionMethod.L1_NORM),
  /** Largest BatchNorm |gamma| summed over the group (Liu et al. 2017), then the fine-tune. */
  BN_SCALE("bn-scale", SelectionMethod.BN_SCALE);

  private final String label;
  private final SelectionMethod selection;

  StudyMethod(String label, SelectionMethod selection) {
    this.label = label;
    this.selection = selection;
  }

  /** The name on the command line and in the CSV. */
  public String label() {
    return label;
  }

  /** The channel selection of a structured method; empty for the others. */
  public Optional<SelectionMethod> selection() {
    return Optional.ofNullable(selection);
  }

  /**
   * The method called {@code label}.
   *
   * @throws IllegalArgumentException naming the known labels
   */
  public static StudyMethod parse(String label) {
    return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown method '" + label
            + "'; known: " + Arrays.stream(values()).map(StudyMethod::label).toList()));
  }
}
