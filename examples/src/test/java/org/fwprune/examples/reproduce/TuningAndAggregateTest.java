package org.fwprune.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.fwprune.examples.study.Stat;
import org.junit.jupiter.api.Test;

/** Choosing learning rates and averaging over seeds, on hand-made numbers. */
class TuningAndAggregateTest {

  /** Means and standard deviations below are computed by hand; 1e-12 covers double rounding. */
  private static final double TOLERANCE = 1e-12;

  private static Tuning.Candidate candidate(double lr, double accuracy, double loss) {
    return new Tuning.Candidate(lr, accuracy, loss);
  }

  @Test
  void choose_takesTheBestValidationAccuracy() {
    Tuning.MethodTuning t = Tuning.MethodTuning.choose(Method.FW, List.of(
        candidate(0.1, 0.95, 0.2), candidate(0.01, 0.97, 0.3), candidate(0.03, 0.96, 0.1)));
    assertEquals(0.01, t.chosenLearningRate());
    assertEquals(List.of(0.01, 0.03, 0.1),
        t.candidates().stream().map(Tuning.Candidate::learningRate).toList());
  }

  @Test
  void choose_breaksAccuracyTiesByLowerLossThenSmallerRate() {
    assertEquals(0.1, Tuning.MethodTuning.choose(Method.FW, List.of(
        candidate(0.01, 0.97, 0.3), candidate(0.1, 0.97, 0.2))).chosenLearningRate());
    assertEquals(0.01, Tuning.MethodTuning.choose(Method.FW, List.of(
        candidate(0.1, 0.97, 0.2), candidate(0.01, 0.97, 0.2))).chosenLearningRate());
  }

  @Test
  void choose_skipsDivergedRates_andFallsBackToTheSmallestIfAllDiverged() {
    assertEquals(0.01, Tuning.MethodTuning.choose(Method.FW, List.of(
        candidate(0.1, Double.NaN, Double.NaN), candidate(0.01, 0.5, 1))).chosenLearningRate());
    assertEquals(0.01, Tuning.MethodTuning.choose(Method.FW, List.of(
        candidate(0.1, Double.NaN, Double.NaN), candidate(0.01, Double.NaN, Double.NaN)))
        .chosenLearningRate());
  }

  @Test
  void tuning_plus_keepsMethodOrder() {
    Tuning t = new Tuning(2, 0, List.of(Tuning.MethodTuning.choose(Method.FW,
        List.of(candidate(0.1, 0.9, 0.1)))));
    Tuning more = t.plus(List.of(Tuning.MethodTuning.choose(Method.ONE_SHOT,
        List.of(candidate(0.01, 0.9, 0.1)))));
    assertEquals(List.of("one-shot", "fw"), List.copyOf(more.chosen().keySet()));
    assertEquals(0.1, more.learningRate(Method.FW).orElseThrow());
  }

  @Test
  void stat_isMeanAndSampleStandardDeviation() {
    // Values 1, 2, 3, 4: mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; / 3.
    Stat s = Stat.of(new double[] {1, 2, 3, 4});
    assertEquals(2.5, s.mean(), TOLERANCE);
    assertEquals(Math.sqrt(5.0 / 3), s.std(), TOLERANCE);
    assertEquals(new Stat(7, 0), Stat.of(new double[] {7}));
  }

  @Test
  void aggregate_groupsByMethodAndBudgetOverSeeds() {
    List<CellResult> rows = List.of(
        result(Method.FW, 1, 0, 0.90), result(Method.FW, 1, 1, 0.94),
        result(Method.DENSE, 1, 0, 0.80), result(Method.FW, 2, 0, 0.99));

    List<Aggregate> a = Aggregate.of(rows);

    assertEquals(3, a.size());
    assertEquals(Method.DENSE, a.get(0).method());
    assertEquals(Method.FW, a.get(1).method());
    assertEquals(1, a.get(1).pretrainEpochs());
    assertEquals(2, a.get(1).seeds());
    assertEquals(0.92, a.get(1).testAccuracy().mean(), TOLERANCE);
    // |0.90 - 0.92| = |0.94 - 0.92| = 0.02: sqrt((0.0004 + 0.0004) / 1).
    assertEquals(Math.sqrt(0.0008), a.get(1).testAccuracy().std(), TOLERANCE);
    assertEquals(2, a.get(2).pretrainEpochs());
  }

  @Test
  void aggregate_speedUp_averagesEachSeedsInverseRatio() {
    // Ratios 0.5 and 0.25: speed-ups 2 and 4, mean 3 (not 1 / mean ratio = 2.67), std sqrt(2).
    List<CellResult> rows = List.of(timed(0, 0.5), timed(1, 0.25));

    Aggregate a = Aggregate.of(rows).get(0);

    assertEquals(3, a.speedUp().mean(), TOLERANCE);
    assertEquals(Math.sqrt(2), a.speedUp().std(), TOLERANCE);
    assertEquals(1000, a.flopsPerExample().mean(), TOLERANCE);
  }

  private static CellResult timed(int seed, double ratio) {
    return new CellResult(new Cell(Method.STRUCTURED_FW, 1, seed, 0.9), 0.9, 0.1, 0.1, 0.05,
        ratio, 10, 1, 430, 1000);
  }

  private static CellResult result(Method m, int epochs, int seed, double accuracy) {
    return new CellResult(new Cell(m, epochs, seed, 0.9), accuracy, 0.1, 0.1, 0.05, 1, 10, 1, 430,
        1000);
  }
}
