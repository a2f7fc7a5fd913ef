package org.fwprune.core.runtime.internal;

import static com.google.common.base.Preconditions.checkArgument;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.Locale;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerVariable;

/**
 * Checks a model's variables against a memory limit before TensorFlow allocates them. Without the
 * check, an architecture far too large for the machine (a huge input flattened into a dense
 * layer, say) fails inside TensorFlow's allocator, or is killed by the operating system, instead
 * of stopping with a message that names the layer.
 */
public final class MemoryBudget {

  private MemoryBudget() {}

  /**
   * The default limit: an eighth of the machine's physical memory, at least 1 GiB. Training needs
   * several times the variables' memory (gradients, optimizer slots, activations), so a model at
   * the limit still trains.
   */
  public static long defaultLimit() {
    long total = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return Math.max(1L << 30, total / 8);
  }

  /**
   * Bytes the model's variables take: every tensor in float32, plus a mask for each kernel.
   */
  public static long variableBytes(Architecture architecture) {
    long bytes = 0;
    for (LayerVariable v : architecture.variables()) {
      long n = v.size() * (v.role() == LayerVariable.Role.KERNEL ? 2 : 1);
      bytes = Math.addExact(bytes, Math.multiplyExact(n, (long) Float.BYTES));
    }
    return bytes;
  }

  /**
   * Throws if the variables of {@code architecture} need more than {@code limit} bytes; the
   * message gives the total, the largest tensor and its shape.
   */
  public static void check(Architecture architecture, long limit) {
    checkArgument(limit > 0, "the memory limit must be positive, got %s", limit);
    long bytes;
    try {
      bytes = variableBytes(architecture);
    } catch (ArithmeticException e) {
      bytes = Long.MAX_VALUE;
    }
    if (bytes > limit) {
      LayerVariable largest = architecture.variables().stream()
          .max(Comparator.comparingLong(LayerVariable::size)).orElseThrow();
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "the model's variables need %s (the largest, %s of shape %s, needs %s), over the"
              + " memory limit of %s; use a smaller input or layer, or raise the limit"
              + " (Cnn.Builder.maxVariableBytes) on a machine with the memory",
          text(bytes), largest.key(), largest.shape(), text(largest.size() * Float.BYTES),
          text(limit)));
    }
  }

  private static String text(long bytes) {
    if (bytes == Long.MAX_VALUE) {
      return "more than 8 EiB";
    }
    return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
  }
}
