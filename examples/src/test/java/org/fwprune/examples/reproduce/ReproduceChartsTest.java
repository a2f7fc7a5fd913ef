package org.fwprune.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.Test;

/** The accuracy against speed-up chart, on hand-made rows. */
class ReproduceChartsTest {

  /** Expected values are hand computations on the rows below; 1e-12 covers double rounding. */
  private static final double TOLERANCE = 1e-12;

  @Test
  void speedUpChart_placesOnePointPerMethodAndBudgetAtTheMeansOverSeeds() {
    List<CellResult> rows = List.of(row(Method.DENSE, 1, 0, 0.80, 1),
        row(Method.STRUCTURED_FW, 1, 0, 0.90, 0.5), row(Method.STRUCTURED_FW, 1, 1, 0.94, 0.25),
        row(Method.STRUCTURED_FW, 2, 0, 0.99, 0.5));

    JFreeChart chart = ReproduceCharts.speedUpChart(Aggregate.of(rows), "subtitle");

    XYPlot plot = chart.getXYPlot();
    IntervalXYDataset data = (IntervalXYDataset) plot.getDataset();
    assertEquals(2, data.getSeriesCount());
    assertEquals("structured-fw", data.getSeriesKey(1));
    // Budget 1: speed-ups 2 and 4 (mean 3, std sqrt 2); accuracy 90% and 94% (mean 92%,
    // std sqrt(8)).
    assertEquals(3, data.getXValue(1, 0), TOLERANCE);
    assertEquals(3 - Math.sqrt(2), data.getStartXValue(1, 0), TOLERANCE);
    assertEquals(92, data.getYValue(1, 0), TOLERANCE);
    assertEquals(92 + Math.sqrt(8), data.getEndYValue(1, 0), 1e-9);
    assertEquals(2, data.getXValue(1, 1), TOLERANCE);
    assertEquals("1", plot.getRenderer().getDefaultItemLabelGenerator()
        .generateLabel(data, 1, 0));
    assertEquals("2", plot.getRenderer().getDefaultItemLabelGenerator()
        .generateLabel(data, 1, 1));
    assertEquals(1, data.getXValue(0, 0), TOLERANCE);
  }

  private static CellResult row(Method m, int epochs, int seed, double accuracy, double ratio) {
    return new CellResult(new Cell(m, epochs, seed, 0.9), accuracy, 0.1, 0.1, 0.05, ratio, 10, 1,
        430, 1000);
  }
}
