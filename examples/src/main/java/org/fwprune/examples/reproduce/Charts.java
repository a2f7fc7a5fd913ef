package org.fwprune.examples.reproduce;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fwprune.core.io.AtomicFiles;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Draws one PNG line chart per metric: x = pre-training epochs, one line per method through the
 * mean over seeds, with error bars of one standard deviation. Points of different methods are
 * shifted slightly along x so that their error bars stay apart. A last chart plots test accuracy
 * against measured inference speed-up, one point per method and budget with error bars on both
 * axes, each point labelled with its budget.
 */
public final class Charts {

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

  /** File name of the accuracy against speed-up chart. */
  static final String SPEED_UP_FILE = "accuracy_vs_speedup.png";

  /** One colour per method (Tableau 10), so a method looks the same in every chart. */
  private static final List<Color> COLORS = List.of(new Color(0x7f7f7f), new Color(0x1f77b4),
      new Color(0xd62728), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22),
      new Color(0x000000), new Color(0x393b79), new Color(0xad494a));

  static final int WIDTH = 960;
  static final int HEIGHT = 600;
  private static final double SHIFT = 0.06;

  private Charts() {}

  /**
   * Writes every metric's chart and the accuracy against speed-up chart into {@code dir} (each
   * atomically) and returns the files.
   */
  static List<Path> write(Path dir, List<Aggregate> aggregates, String subtitle)
      throws IOException {
    List<Path> files = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      files.add(writePng(dir.resolve(metric.fileName), chart(metric, aggregates, subtitle)));
    }
    files.add(writePng(dir.resolve(SPEED_UP_FILE), speedUpChart(aggregates, subtitle)));
    return files;
  }

  private static Path writePng(Path file, JFreeChart chart) throws IOException {
    AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    return file;
  }

  /**
   * Test accuracy (%) against measured speed-up over the dense checkpoint, one point per method
   * and budget at the means over seeds, with one standard deviation on each axis. Points are not
   * joined: the budgets of one method need not be ordered by speed-up.
   */
  static JFreeChart speedUpChart(List<Aggregate> aggregates, String subtitle) {
    List<SpeedUpPoint> points = new ArrayList<>();
    Map<String, Color> colours = new LinkedHashMap<>();
    for (Aggregate a : aggregates) {
      colours.put(a.method().id(), COLORS.get(a.method().ordinal() % COLORS.size()));
      points.add(new SpeedUpPoint(a.method().id(), Integer.toString(a.pretrainEpochs()),
          a.speedUp(), a.testAccuracy()));
    }
    return speedUpChart(points, colours::get,
        "Test accuracy against inference speed-up (labels: pre-training epochs)",
        "Inference speed-up over the dense checkpoint (1 / inference time ratio)", subtitle);
  }

  /**
   * One point of {@link #writeAccuracyBySpeedUp}.
   *
   * @param series the line it belongs to (a method)
   * @param label text next to the point (e.g. its budget)
   * @param speedUp x, mean and std over seeds
   * @param accuracy test accuracy as a fraction, mean and std over seeds
   */
  public record SpeedUpPoint(String series, String label, Aggregate.Stat speedUp,
      Aggregate.Stat accuracy) {}

  /**
   * Writes, atomically, a chart of test accuracy (%) against speed-up, one colour per series,
   * error bars of one standard deviation on both axes, each point labelled.
   */
  public static void writeAccuracyBySpeedUp(Path file, List<SpeedUpPoint> points, String title,
      String xLabel, String subtitle) throws IOException {
    List<String> names = points.stream().map(SpeedUpPoint::series).distinct().toList();
    writePng(file, speedUpChart(points, n -> COLORS.get(names.indexOf(n) % COLORS.size()), title,
        xLabel, subtitle));
  }

  /**
   * Test accuracy (%) against speed-up, error bars on both axes. Points are not joined: the
   * budgets of one series need not be ordered by speed-up.
   */
  private static JFreeChart speedUpChart(List<SpeedUpPoint> points,
      Function<String, Color> colour, String title, String xLabel, String subtitle) {
    Map<String, XYIntervalSeries> series = new LinkedHashMap<>();
    Map<String, List<String>> labels = new LinkedHashMap<>();
    for (SpeedUpPoint p : points) {
      // Kept in insertion order, so that item i of a series is the i-th point listed for it.
      XYIntervalSeries s = series.computeIfAbsent(p.series(),
          m -> new XYIntervalSeries(m, false, true));
      Aggregate.Stat speedUp = p.speedUp();
      Aggregate.Stat accuracy = p.accuracy();
      if (Double.isNaN(speedUp.mean()) || Double.isNaN(accuracy.mean())) {
        continue;  // a diverged seed: no point to place
      }
      double y = 100 * accuracy.mean();
      double dy = 100 * accuracy.std();
      s.add(speedUp.mean(), speedUp.mean() - speedUp.std(), speedUp.mean() + speedUp.std(),
          y, y - dy, y + dy);
      labels.computeIfAbsent(p.series(), m -> new ArrayList<>()).add(p.label());
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    series.values().forEach(data::addSeries);
    List<String> order = new ArrayList<>(series.keySet());
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis(Metric.TEST_ACCURACY.label);
    y.setAutoRangeIncludesZero(false);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(true);
    renderer.setDrawYError(true);
    renderer.setDefaultLinesVisible(false);
    renderer.setDefaultShapesVisible(true);
    renderer.setDefaultItemLabelGenerator((dataset, s, item) ->
        labels.get(order.get(s)).get(item));
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    for (int i = 0; i < order.size(); i++) {
      Color c = colour.apply(order.get(i));
      renderer.setSeriesPaint(i, c);
      renderer.setSeriesFillPaint(i, c);
    }
    XYPlot plot = plot(data, x, y, renderer);
    // Speed-up 1: as fast as the dense network.
    ValueMarker dense = new ValueMarker(1.0, Color.GRAY, new BasicStroke(1f));
    plot.addDomainMarker(dense);
    return titled(title, plot, subtitle);
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
    XYErrorRenderer renderer = lineWithErrorBars();
    colour(renderer, order.stream().map(Method::ordinal).toList());
    return titled(metric.label + " by pre-training budget", plot(data, x, y, renderer),
        subtitle);
  }

  /**
   * One point of {@link #writeAccuracyLines}.
   *
   * @param series the line it belongs to (a method)
   * @param colour index into the chart palette, so that a method keeps its colour across charts
   * @param x the position on the x axis (e.g. sparsity in %)
   * @param accuracy test accuracy in %, mean and std over seeds
   */
  public record LinePoint(String series, int colour, double x, Aggregate.Stat accuracy) {}

  /** Writes {@link #writeAccuracyLines} with x = sparsity in % of the kernel weights. */
  public static void writeAccuracyBySparsity(Path file, List<LinePoint> points, String title,
      String subtitle) throws IOException {
    writeAccuracyLines(file, points, title, "Sparsity % (zeros over conv and dense kernels)",
        subtitle);
  }

  /**
   * Writes, atomically, a chart of test accuracy (%) against {@code xLabel}, one line per series
   * in the order they first appear, with one standard deviation as error bars.
   */
  public static void writeAccuracyLines(Path file, List<LinePoint> points, String title,
      String xLabel, String subtitle) throws IOException {
    Map<String, YIntervalSeries> series = new LinkedHashMap<>();
    Map<String, Integer> colours = new LinkedHashMap<>();
    for (LinePoint p : points) {
      colours.putIfAbsent(p.series(), p.colour());
      double mean = p.accuracy().mean();
      double std = p.accuracy().std();
      series.computeIfAbsent(p.series(), YIntervalSeries::new)
          .add(p.x(), mean, mean - std, mean + std);
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    series.values().forEach(data::addSeries);
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis("Test accuracy %");
    y.setAutoRangeIncludesZero(false);
    XYErrorRenderer renderer = lineWithErrorBars();
    colour(renderer, new ArrayList<>(colours.values()));
    writePng(file, titled(title, plot(data, x, y, renderer), subtitle));
  }

  /** Lines with markers and vertical error bars. */
  private static XYErrorRenderer lineWithErrorBars() {
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDrawYError(true);
    renderer.setDefaultLinesVisible(true);
    renderer.setDefaultShapesVisible(true);
    renderer.setDefaultStroke(new BasicStroke(2f));
    renderer.setAutoPopulateSeriesStroke(false);
    return renderer;
  }

  /** Gives series {@code i} the palette colour {@code paletteIndices.get(i)}. */
  private static void colour(XYErrorRenderer renderer, List<Integer> paletteIndices) {
    for (int i = 0; i < paletteIndices.size(); i++) {
      Color color = COLORS.get(paletteIndices.get(i) % COLORS.size());
      renderer.setSeriesPaint(i, color);
      renderer.setSeriesFillPaint(i, color);
    }
  }

  private static XYPlot plot(XYDataset data, NumberAxis x, NumberAxis y,
      XYErrorRenderer renderer) {
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return plot;
  }

  private static JFreeChart titled(String title, XYPlot plot, String subtitle) {
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(new TextTitle(subtitle));
    return chart;
  }
}
