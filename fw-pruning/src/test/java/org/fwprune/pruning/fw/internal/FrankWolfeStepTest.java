package org.fwprune.pruning.fw.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Layer;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.internal.BatchSampler;
import org.fwprune.pruning.constraints.Constraint;
import org.fwprune.pruning.constraints.InitNorms;
import org.fwprune.pruning.constraints.KSparsePolytope;
import org.fwprune.pruning.constraints.L1Ball;
import org.fwprune.pruning.schedule.StepSize;
import org.fwprune.pruning.transform.MovingAverage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrankWolfeStepTest {

  private static final Dataset DATA = SyntheticData.bars(256, 8, 4, 3);

  static List<Constraint> constraints() {
    return List.of(KSparsePolytope.ofFraction(0.2), L1Ball.create());
  }

  /** Runs {@code steps} FW steps with {@code setting} on a fresh model and returns the dense kernel. */
  private static float[] denseKernelAfter(FrankWolfeStep.Setting setting, int steps) {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 5)) {
      BatchSampler sampler = new BatchSampler(DATA, 32, true, 7);
      try (InputBatch batch = sampler.newBatch()) {
        for (int i = 0; i < steps; i++) {
          sampler.next(batch);
          FrankWolfeStep.of(model.prunable(), setting).run(model.prunable(), batch);
        }
      }
      return model.parameters().get("dense_1/kernel");
    }
  }

  private static double radius(Constraint c, double tau, Layer layer) {
    int n = (int) layer.kernelSize();
    return c.radiusFromInit(tau,
        InitNorms.glorotUniformExpectedL2Norm(layer.fanIn(), layer.fanOut(), n), n);
  }

  @Test
  void momentumZero_reproducesPlainFrankWolfe() {
    FrankWolfeStep.Setting plain = new FrankWolfeStep.Setting(KSparsePolytope.ofFraction(0.2), 5,
        StepSize.gradientRescaled(0.2), List.of());
    FrankWolfeStep.Setting rhoZero = new FrankWolfeStep.Setting(KSparsePolytope.ofFraction(0.2), 5,
        StepSize.gradientRescaled(0.2), List.of(MovingAverage.of(0)));
    // Same seeds and batches: m_t = 0 * m + 1 * g_t = g_t, so the iterates agree exactly.
    assertArrayEquals(denseKernelAfter(plain, 5), denseKernelAfter(rhoZero, 5));
  }

  @Test
  void momentum_changesTheIterates() {
    FrankWolfeStep.Setting plain = new FrankWolfeStep.Setting(KSparsePolytope.ofFraction(0.2), 5,
        StepSize.gradientRescaled(0.2), List.of());
    FrankWolfeStep.Setting averaged = new FrankWolfeStep.Setting(KSparsePolytope.ofFraction(0.2),
        5, StepSize.gradientRescaled(0.2), List.of(MovingAverage.of(0.9)));
    assertTrue(!java.util.Arrays.equals(denseKernelAfter(plain, 5),
        denseKernelAfter(averaged, 5)));
  }

  @ParameterizedTest
  @MethodSource("constraints")
  void classicFirstStep_movesTheKernelOntoAVertex(Constraint constraint) {
    FrankWolfeStep.Setting setting = new FrankWolfeStep.Setting(constraint, 2,
        StepSize.classic(), List.of());
    try (Cnn model = SyntheticData.smallCnn(8, 4, 5)) {
      Layer dense = model.architecture().weightedLayers().get(1);
      double r = radius(constraint, 2, dense);
      float[] kernel = denseKernelAfter(setting, 1);
      // eta_0 = 2 / (0 + 2) = 1, so theta_1 = v: entries in {0, +-r}, K of them (1 for L1).
      int nonZero = 0;
      for (float v : kernel) {
        if (v != 0) {
          nonZero++;
          assertEquals(r, Math.abs(v), 1e-5 * r);
        }
      }
      int expected = constraint instanceof KSparsePolytope k ? k.k(kernel.length) : 1;
      assertEquals(expected, nonZero);
    }
  }

  @ParameterizedTest
  @MethodSource("constraints")
  void iterates_stayInsideTheConstraintSet(Constraint constraint) {
    FrankWolfeStep.Setting setting = new FrankWolfeStep.Setting(constraint, 2,
        StepSize.classic(), List.of(MovingAverage.of(0.5)));
    try (Cnn model = SyntheticData.smallCnn(8, 4, 5)) {
      Layer dense = model.architecture().weightedLayers().get(1);
      double r = radius(constraint, 2, dense);
      // Starting at a vertex (first classic step), convex combinations of vertices stay inside.
      float[] kernel = denseKernelAfter(setting, 12);
      assertTrue(constraint.contains(kernel, r, 1e-4 * r), "kernel left the set");
    }
  }
}
