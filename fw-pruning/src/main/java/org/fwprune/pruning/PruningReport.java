package org.fwprune.pruning;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Locale;

/**
 * What a pruning run achieved and cost.
 *
 * @param method the pruner's name and settings, as its {@code toString()}
 * @param sparsity fraction of zero weights over all pruned kernels
 * @param layers per pruned kernel: name, shape, parameters, non-zeros, sparsity
 * @param steps optimizer steps (fine-tune and Frank-Wolfe)
 * @param gradientEvaluations minibatch gradients computed (the budget)
 * @param seconds wall time of the run
 * @param accuracyBefore validation accuracy before pruning, NaN without a validation set
 * @param accuracyAfter validation accuracy after pruning, NaN without a validation set
 */
public record PruningReport(String method, double sparsity, List<LayerSparsity> layers,
    long steps, long gradientEvaluations, double seconds, double accuracyBefore,
    double accuracyAfter) {

  /** Copies the layer list. */
  public PruningReport {
    layers = ImmutableList.copyOf(layers);
  }

  /**
   * Sparsity of one pruned kernel.
   *
   * @param name the key of the kernel, e.g. {@code conv2d_1/kernel}
   * @param shape the kernel's shape
   * @param parameters entries in the kernel
   * @param nonZeros entries that are not zero
   */
  public record LayerSparsity(String name, List<Long> shape, long parameters, long nonZeros) {
    /** Copies the shape. */
    public LayerSparsity {
      shape = ImmutableList.copyOf(shape);
    }

    /** Fraction of zeros in this kernel. */
    public double sparsity() {
      return parameters == 0 ? 0 : 1.0 - (double) nonZeros / parameters;
    }
  }

  /** Entries over all pruned kernels. */
  public long parameters() {
    return layers.stream().mapToLong(LayerSparsity::parameters).sum();
  }

  /** Non-zero entries over all pruned kernels. */
  public long nonZeros() {
    return layers.stream().mapToLong(LayerSparsity::nonZeros).sum();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append(System.lineSeparator());
    String row = "%-18s %-16s %10s %10s %9s%n";
    sb.append(String.format(Locale.ROOT, row, "kernel", "shape", "params", "non-zeros",
        "sparsity"));
    for (LayerSparsity l : layers) {
      sb.append(String.format(Locale.ROOT, row, l.name(), l.shape().toString().replace(" ", ""),
          String.format(Locale.ROOT, "%,d", l.parameters()),
          String.format(Locale.ROOT, "%,d", l.nonZeros()),
          String.format(Locale.ROOT, "%.2f%%", 100 * l.sparsity())));
    }
    sb.append(String.format(Locale.ROOT, row, "total", "",
        String.format(Locale.ROOT, "%,d", parameters()),
        String.format(Locale.ROOT, "%,d", nonZeros()),
        String.format(Locale.ROOT, "%.2f%%", 100 * sparsity)));
    sb.append(String.format(Locale.ROOT, "%d steps, %d gradient evaluations, %.1f s", steps,
        gradientEvaluations, seconds));
    if (!Double.isNaN(accuracyBefore)) {
      sb.append(String.format(Locale.ROOT, "; validation accuracy %.4f -> %.4f", accuracyBefore,
          accuracyAfter));
    }
    return sb.append(System.lineSeparator()).toString();
  }
}
