package org.fwprune.examples.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import org.fwprune.examples.study.Charts;
import org.fwprune.examples.study.Stat;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;

/**
 * The charts of a reproduction's results folder, drawn with the studies' {@link Charts}: one line
 * chart per metric, x = pre-training epochs, one line per method through the mean over seeds.
 * Points of different methods are shifted slightly along x so that their error bars stay apart.
 * A last chart plots test accuracy against measured inference speed-up, one point per method and
 * budget, each labelled with its budget. A method keeps its colour (its ordinal) in every chart.
 */
final class ReproduceCharts {

  /** A charted metric: file name, axis label, and the statistic with its display scale. */
  enum Metric {
    TEST_ACCURACY("test_accuracy.png", Charts.ACCURACY_LABEL, Aggregate::testAccuracy, 100),
    TEST_LOSS("test_loss.png", "Test loss (cross-entropy)", Aggregate::testLoss, 1),
    NONZERO("nonzero_percent.png", "Non-zero kernel weights (%)", Aggregate::nonzeroFraction, 100),
    INFERENCE_TIME("inference_time_ratio.png", "Inference time / dense checkpoint's",
        Aggregate::inferenceTimeRatio, 1);

    final String fileName;
    final String label;
    final Function<Aggregate, Stat> stat;
    final double scale;

    Metric(String fileName, String label, Function<Aggregate, Stat> stat, double scale) {
      this.fileName = fileName;
      this.label = label;
      this.stat = stat;
      this.scale = scale;
    }
  }

  /** File name of the accuracy against speed-up chart. */
  static final String SPEED_UP_FILE = "accuracy_vs_speedup.png";

  /** How far apart along x the points of neighbouring methods are drawn, in epochs. */
  private static final double SHIFT = 0.06;

  private ReproduceCharts() {}

  /** Writes every metric's chart and the accuracy against speed-up chart; returns the files. */
  static List<Path> write(Path dir, List<Aggregate> aggregates, String subtitle)
      throws IOException {
    List<Path> files = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      files.add(Charts.writePng(dir.resolve(metric.fileName),
          chart(metric, aggregates, subtitle)));
    }
    files.add(Charts.writePng(dir.resolve(SPEED_UP_FILE), speedUpChart(aggregates, subtitle)));
    return files;
  }

  /**
   * Test accuracy (%) against measured speed-up over the dense checkpoint, one point per method
   * and budget at the means over seeds, with one standard deviation on each axis.
   */
  static JFreeChart speedUpChart(List<Aggregate> aggregates, String subtitle) {
    List<Charts.SpeedUpPoint> points = aggregates.stream().map(a -> new Charts.SpeedUpPoint(
        a.method().id(), Integer.toString(a.pretrainEpochs()), a.speedUp(), a.testAccuracy()))
        .toList();
    return Charts.speedUpChart(points, id -> Method.fromId(id).ordinal(),
        "Test accuracy against inference speed-up (labels: pre-training epochs)",
        "Inference speed-up over the dense checkpoint (1 / inference time ratio)", subtitle);
  }

  /** The line chart of {@code metric} by pre-training budget. */
  static JFreeChart chart(Metric metric, List<Aggregate> aggregates, String subtitle) {
    List<Method> order = new ArrayList<>(new LinkedHashSet<>(
        aggregates.stream().map(Aggregate::method).toList()));
    List<Charts.LinePoint> points = new ArrayList<>();
    for (Aggregate a : aggregates) {
      Stat s = metric.stat.apply(a);
      double x = a.pretrainEpochs() + SHIFT * (order.indexOf(a.method())
          - (order.size() - 1) / 2.0);
      points.add(new Charts.LinePoint(a.method().id(), a.method().ordinal(), x,
          new Stat(s.mean() * metric.scale, s.std() * metric.scale)));
    }
    NumberAxis x = new NumberAxis("Pre-training epochs");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    return Charts.linesChart(points, metric.label + " by pre-training budget", x, metric.label,
        subtitle);
  }
}
