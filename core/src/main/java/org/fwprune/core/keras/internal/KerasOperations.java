package org.fwprune.core.keras.internal;

import java.util.List;
import org.fwprune.core.model.LayerSpec;

/**
 * Keras 3 operation nodes: arithmetic written on tensors in a functional graph ({@code x + 3.0},
 * {@code x * (1 / 6)}), which Keras stores as nodes of module {@code keras.src.ops.numpy} that
 * are no layers. With one tensor and a constant they are affine maps, so they become
 * {@link LayerSpec.Rescaling}; between two tensors an add or product becomes {@link
 * LayerSpec.Add} or {@link LayerSpec.Multiply}.
 */
final class KerasOperations {

  /** The module prefix of Keras 3's operation nodes. */
  static final String MODULE_PREFIX = "keras.src.ops";

  /** What is supported, for messages. */
  static final String DESCRIPTION = "Add, Subtract, Multiply and Divide (TrueDivide) of a tensor"
      + " and a number, and Add and Multiply of two tensors";

  private KerasOperations() {}

  /**
   * The layer computing operation {@code kind} on {@code operands}, each a node name (a tensor)
   * or a {@link Double} (a constant), in the operation's argument order.
   *
   * @throws IllegalArgumentException naming the operation when it is not supported
   */
  static LayerSpec spec(String name, String kind, List<Object> operands) {
    long tensors = operands.stream().filter(String.class::isInstance).count();
    if (operands.size() == 2 && tensors == 2) {
      switch (kind) {
        case "Add" -> {
          return new LayerSpec.Add();
        }
        case "Multiply" -> {
          return new LayerSpec.Multiply();
        }
        default -> { }
      }
    }
    if (operands.size() == 2 && tensors == 1) {
      boolean constantFirst = operands.get(0) instanceof Double;
      double c = (Double) operands.get(constantFirst ? 0 : 1);
      LayerSpec spec = switch (kind) {
        case "Add" -> new LayerSpec.Rescaling(1, c);
        case "Multiply" -> new LayerSpec.Rescaling(c, 0);
        case "Subtract" -> constantFirst ? new LayerSpec.Rescaling(-1, c)
            : new LayerSpec.Rescaling(1, -c);
        case "Divide", "TrueDivide" -> constantFirst || c == 0 ? null
            : new LayerSpec.Rescaling(1 / c, 0);
        default -> null;
      };
      if (spec != null) {
        return spec;
      }
    }
    throw new IllegalArgumentException("operation " + name + " (" + kind + " of " + operands
        + ") is not supported; supported are " + DESCRIPTION);
  }
}
