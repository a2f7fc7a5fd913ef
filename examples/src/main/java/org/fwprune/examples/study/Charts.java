package org.fwprune.examples.study;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
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
 * The charts every study draws from its summary ({@link Stat}s over seeds): lines through the
 * means with error bars of one standard deviation, and test accuracy against measured speed-up
 * with error bars on both axes, each point labelled. One palette, so that a series keeps its
 * colour from chart to chart. Each PNG is written atomically.
 */
public final class Charts {

  /** One colour per method (Tableau 10), so a method looks the same in every chart. */
  private static final List<Color> COLORS = List.of(new Color(0x7f7f7f), new Color(0x1f77b4),
      new Color(0xd62728), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22),
      new Color(0x000000), new Color(0x393b79), new Color(0xad494a));

  static final int WIDTH = 960;
  static final int HEIGHT = 600;
  /** The y axis of the accuracy charts. */
  public static final String ACCURACY_LABEL = "Test accuracy (%)";

  private Charts() {}

  /** Writes {@code chart} as a PNG, atomically; returns the file. */
  public static Path writePng(Path file, JFreeChart chart) throws IOException {
    AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    return file;
  }

  /**
   * One point of {@link #writeAccuracyBySpeedUp}.
   *
   * @param series the line it belongs to (a method)
   * @param label text next to the point (e.g. its budget)
   * @param speedUp x, mean and std over seeds
   * @param accuracy test accuracy as a fraction, mean and std over seeds
   */
  public record SpeedUpPoint(String series, String label, Stat speedUp,
      Stat accuracy) {}

  /**
   * Writes, atomically, a chart of test accuracy (%) against speed-up, one colour per series,
   * error bars of one standard deviation on both axes, each point labelled.
   */
  public static void writeAccuracyBySpeedUp(Path file, List<SpeedUpPoint> points, String title,
      String xLabel, String subtitle) throws IOException {
    List<String> names = points.stream().map(SpeedUpPoint::series).distinct().toList();
    writePng(file, speedUpChart(points, names::indexOf, title, xLabel, subtitle));
  }

  /**
   * Test accuracy (%) against speed-up, error bars on both axes, series {@code s} in palette
   * colour {@code paletteIndex(s)}. Points are not joined: the budgets of one series need not be
   * ordered by speed-up. A dashed line marks speed-up 1 (as fast as the dense network).
   */
  public static JFreeChart speedUpChart(List<SpeedUpPoint> points,
      ToIntFunction<String> paletteIndex, String title, String xLabel, String subtitle) {
    Map<String, XYIntervalSeries> series = new LinkedHashMap<>();
    Map<String, List<String>> labels = new LinkedHashMap<>();
    for (SpeedUpPoint p : points) {
      // Kept in insertion order, so that item i of a series is the i-th point listed for it.
      XYIntervalSeries s = series.computeIfAbsent(p.series(),
          m -> new XYIntervalSeries(m, false, true));
      Stat speedUp = p.speedUp();
      Stat accuracy = p.accuracy();
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
    NumberAxis y = new NumberAxis(ACCURACY_LABEL);
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
      Color c = COLORS.get(paletteIndex.applyAsInt(order.get(i)) % COLORS.size());
      renderer.setSeriesPaint(i, c);
      renderer.setSeriesFillPaint(i, c);
    }
    XYPlot plot = plot(data, x, y, renderer);
    // Speed-up 1: as fast as the dense network.
    ValueMarker dense = new ValueMarker(1.0, Color.GRAY, new BasicStroke(1f));
    plot.addDomainMarker(dense);
    return titled(title, plot, subtitle);
  }

  /**
   * One point of {@link #writeAccuracyLines}.
   *
   * @param series the line it belongs to (a method)
   * @param colour index into the chart palette, so that a method keeps its colour across charts
   * @param x the position on the x axis (e.g. sparsity in %)
   * @param accuracy test accuracy in %, mean and std over seeds
   */
  public record LinePoint(String series, int colour, double x, Stat accuracy) {}

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
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    writePng(file, linesChart(points, title, x, "Test accuracy %", subtitle));
  }

  /**
   * Lines of {@code points} (y as given: mean and std), one per series in the order they first
   * appear, with one standard deviation as error bars.
   */
  public static JFreeChart linesChart(List<LinePoint> points, String title, NumberAxis x,
      String yLabel, String subtitle) {
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
    NumberAxis y = new NumberAxis(yLabel);
    y.setAutoRangeIncludesZero(false);
    XYErrorRenderer renderer = lineWithErrorBars();
    colour(renderer, new ArrayList<>(colours.values()));
    return titled(title, plot(data, x, y, renderer), subtitle);
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
