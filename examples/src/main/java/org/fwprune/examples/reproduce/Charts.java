package org.fwprune.examples.reproduce;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Draws one PNG line chart per metric: x = pre-training epochs, one line per method through the
 * mean over seeds, with error bars of one standard deviation. Points of different methods are
 * shifted slightly along x so that their error bars stay apart.
 */
final class Charts {

  /** A charted metric: file name, axis label, and the statistic with its display scale. */
  enum Metric {
    TEST_ACCURACY("test_accuracy.png", "Test accuracy (%)", Aggregate::testAccuracy, 100),
    TEST_LOSS("test_loss.png", "Test loss (cross-entropy)", Aggregate::testLoss, 1),
    NONZERO("nonzero_percent.png", "Non-zero kernel weights (%)", Aggregate::nonzeroFraction, 100),
    INFERENCE_TIME("inference_time_ratio.png", "Inference time / dense checkpoint's",
        Aggregate::inferenceTimeRatio, 1);

    final String fileName;
    final String label;
    final Function<Aggregate, Aggregate.Stat> stat;
    final double scale;

    Metric(String fileName, String label, Function<Aggregate, Aggregate.Stat> stat,
        double scale) {
      this.fileName = fileName;
      this.label = label;
      this.stat = stat;
      this.scale = scale;
    }
  }

  /** One colour per method (Tableau 10), so a method looks the same in every chart. */
  private static final List<Color> COLORS = List.of(new Color(0x7f7f7f), new Color(0x1f77b4),
      new Color(0xd62728), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd));

  static final int WIDTH = 960;
  static final int HEIGHT = 600;
  private static final double SHIFT = 0.06;

  private Charts() {}

  /** Writes every metric's chart into {@code dir} (each atomically) and returns the files. */
  static List<Path> write(Path dir, List<Aggregate> aggregates, String subtitle)
      throws IOException {
    List<Path> files = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      JFreeChart chart = chart(metric, aggregates, subtitle);
      Path file = dir.resolve(metric.fileName);
      AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
      files.add(file);
    }
    return files;
  }

  static JFreeChart chart(Metric metric, List<Aggregate> aggregates, String subtitle) {
    Map<Method, YIntervalSeries> series = new LinkedHashMap<>();
    for (Aggregate a : aggregates) {
      series.computeIfAbsent(a.method(), m -> new YIntervalSeries(m.id()));
    }
    int count = series.size();
    List<Method> order = new ArrayList<>(series.keySet());
    for (Aggregate a : aggregates) {
      Aggregate.Stat s = metric.stat.apply(a);
      double x = a.pretrainEpochs() + SHIFT * (order.indexOf(a.method()) - (count - 1) / 2.0);
      double mean = s.mean() * metric.scale;
      double std = s.std() * metric.scale;
      series.get(a.method()).add(x, mean, mean - std, mean + std);
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    series.values().forEach(data::addSeries);
    NumberAxis x = new NumberAxis("Pre-training epochs");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis y = new NumberAxis(metric.label);
    y.setAutoRangeIncludesZero(false);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDrawYError(true);
    renderer.setDefaultLinesVisible(true);
    renderer.setDefaultShapesVisible(true);
    renderer.setDefaultStroke(new BasicStroke(2f));
    renderer.setAutoPopulateSeriesStroke(false);
    for (int i = 0; i < order.size(); i++) {
      Color color = COLORS.get(order.get(i).ordinal() % COLORS.size());
      renderer.setSeriesPaint(i, color);
      renderer.setSeriesFillPaint(i, color);
    }
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(metric.label + " by pre-training budget",
        JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(new TextTitle(subtitle));
    return chart;
  }
}
