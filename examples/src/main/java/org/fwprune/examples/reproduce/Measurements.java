package org.fwprune.examples.reproduce;

import java.util.Arrays;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.model.Layer;
import org.fwprune.pruning.PruningReport.LayerSparsity;
import org.fwprune.pruning.SparsityMeter;
import org.fwprune.pruning.structured.Flops;

/**
 * The per-cell measurements that are not plain accuracy and loss: density, FLOPs and inference
 * time.
 */
final class Measurements {

  /** Timed passes over the test set; the median is reported. */
  static final int TIMED_PASSES = 3;

  private Measurements() {}

  /**
   * Inference time of a model and relative to a reference model.
   *
   * @param msPerExample median over the passes of the model's milliseconds per example
   * @param ratio median over the passes of the model's time over the reference's time in the
   *     pass timed next to it
   */
  record Timing(double msPerExample, double ratio) {}

  /** Non-zero entries over all conv and dense kernels (biases are never pruned). */
  static double nonzeroFraction(Cnn model) {
    return 1 - SparsityMeter.overall(SparsityMeter.measure(model));
  }

  /**
   * Non-zero kernel entries of {@code model} over the kernel entries of {@code dense}: the same
   * as {@link #nonzeroFraction(Cnn)} when both have one architecture, and for a network with
   * fewer filters the share of the dense network's weights it still multiplies.
   */
  static double nonzeroFraction(Cnn model, Cnn dense) {
    long nonZeros = SparsityMeter.measure(model).stream().mapToLong(LayerSparsity::nonZeros).sum();
    long total = dense.architecture().weightedLayers().stream().mapToLong(Layer::kernelSize)
        .sum();
    return (double) nonZeros / total;
  }

  /**
   * Multiply-adds per example of the conv and dense layers ({@link Flops}); zeros of a masked
   * kernel still count, since the dense kernels still multiply them.
   */
  static long flopsPerExample(Cnn model) {
    return Flops.perExample(model.architecture());
  }

  /**
   * Inference wall time per example in milliseconds: the whole of {@code test} in batches of
   * {@value Evaluation#BATCH_SIZE}, after one warm-up batch, median of {@value
   * #TIMED_PASSES} passes.
   */
  static double inferenceMsPerExample(Cnn model, Dataset test) {
    warmUp(model, test);
    double[] ms = new double[TIMED_PASSES];
    for (int i = 0; i < TIMED_PASSES; i++) {
      ms[i] = passMs(model, test);
    }
    return median(ms);
  }

  /**
   * Times {@code model} as {@link #inferenceMsPerExample} does, each pass right after a pass of
   * {@code reference}, so that the ratio compares the two under the same load even on a machine
   * shared with other work.
   */
  static Timing inferenceTiming(Cnn model, Cnn reference, Dataset test) {
    warmUp(reference, test);
    warmUp(model, test);
    double[] ms = new double[TIMED_PASSES];
    double[] ratios = new double[TIMED_PASSES];
    for (int i = 0; i < TIMED_PASSES; i++) {
      double referenceMs = passMs(reference, test);
      ms[i] = passMs(model, test);
      ratios[i] = ms[i] / referenceMs;
    }
    return new Timing(median(ms), median(ratios));
  }

  /** The first run of a session allocates and picks kernels; keep it out of the timing. */
  private static void warmUp(Cnn model, Dataset test) {
    model.predict(test.subset(0, Math.min(Evaluation.BATCH_SIZE, test.size())));
  }

  private static double passMs(Cnn model, Dataset test) {
    long start = System.nanoTime();
    model.predict(test);
    return (System.nanoTime() - start) / 1e6 / test.size();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
