package org.fwprune.examples.reproduce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.fwprune.examples.study.Stat;

/**
 * Mean and spread over seeds of one method at one pre-training budget.
 *
 * @param method the method
 * @param pretrainEpochs the checkpoint's pre-training epochs
 * @param seeds number of seeds (rows) averaged
 * @param testAccuracy test accuracy, fraction in [0, 1]
 * @param testLoss mean test cross-entropy
 * @param nonzeroFraction non-zero fraction of the kernels
 * @param inferenceMsPerExample inference milliseconds per example
 * @param inferenceTimeRatio inference time over the dense checkpoint's
 * @param trainSeconds pre-training seconds up to the checkpoint
 * @param pruneSeconds seconds of the method after the checkpoint
 * @param gradientEvaluations minibatch gradients of the method
 * @param flopsPerExample multiply-adds per example of the resulting network (NaN if a row does
 *     not record them)
 * @param speedUp measured inference speed-up over the dense checkpoint, {@code 1 /
 *     inferenceTimeRatio} of each seed, then averaged
 */
public record Aggregate(Method method, int pretrainEpochs, int seeds, Stat testAccuracy,
    Stat testLoss, Stat nonzeroFraction, Stat inferenceMsPerExample, Stat inferenceTimeRatio,
    Stat trainSeconds, Stat pruneSeconds, Stat gradientEvaluations, Stat flopsPerExample,
    Stat speedUp) {

  /** One aggregate per (method, budget) present in {@code rows}, by method then budget. */
  public static List<Aggregate> of(List<CellResult> rows) {
    Map<Method, Map<Integer, List<CellResult>>> groups = new TreeMap<>();
    for (CellResult r : rows) {
      groups.computeIfAbsent(r.cell().method(), m -> new TreeMap<>())
          .computeIfAbsent(r.cell().pretrainEpochs(), b -> new ArrayList<>()).add(r);
    }
    List<Aggregate> out = new ArrayList<>();
    groups.forEach((method, byBudget) -> byBudget.forEach((budget, group) -> {
      group.sort(Comparator.comparingInt(r -> r.cell().seed()));
      out.add(new Aggregate(method, budget, group.size(),
          stat(group, CellResult::testAccuracy), stat(group, CellResult::testLoss),
          stat(group, CellResult::nonzeroFraction), stat(group, CellResult::inferenceMsPerExample),
          stat(group, CellResult::inferenceTimeRatio), stat(group, CellResult::trainSeconds),
          stat(group, CellResult::pruneSeconds),
          stat(group, r -> (double) r.gradientEvaluations()),
          stat(group, CellResult::flopsPerExample), stat(group, CellResult::speedUp)));
    }));
    return out;
  }

  private static Stat stat(List<CellResult> group, ToDoubleFunction<CellResult> metric) {
    return Stat.of(group.stream().mapToDouble(metric).toArray());
  }
}
