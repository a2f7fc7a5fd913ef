package org.fwprune.pruning.fw.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Layer;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ScalarFeed;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.internal.BatchSampler;
import org.fwprune.pruning.constraints.InitNorms;
import org.fwprune.pruning.constraints.KSparsePolytope;
import org.fwprune.pruning.constraints.L1Ball;
import org.fwprune.pruning.fw.SupportRule;
import org.fwprune.pruning.schedule.StepSize;
import org.fwprune.pruning.transform.MovingAverage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class ScheduledSupportTest {

  private static final Dataset DATA = SyntheticData.bars(256, 8, 4, 3);
  private static final double TAU = 2;
  private static final String[] KERNELS = {"conv2d_1/kernel", "dense_1/kernel"};

  /** Kernels after {@code steps} FW steps at {@code sparsity} on a fresh small model. */
  private static Map<String, float[]> kernelsAfter(FrankWolfeStep.Setting setting, int steps,
      double sparsity) {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 5)) {
      BatchSampler sampler = new BatchSampler(DATA, 32, true, 7);
      try (InputBatch batch = sampler.newBatch()) {
        for (int i = 0; i < steps; i++) {
          sampler.next(batch);
          FrankWolfeStep.of(model.prunable(), setting).run(model.prunable(), batch, sparsity);
        }
      }
      return model.parameters();
    }
  }

  /** {@code tau E||W_init||}: the radius times {@code sqrt(K)} of each kernel. */
  private static double[] radiusTimesRootK() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 5)) {
      List<Layer> layers = model.architecture().weightedLayers();
      double[] scale = new double[layers.size()];
      for (int i = 0; i < scale.length; i++) {
        Layer l = layers.get(i);
        scale[i] = TAU * InitNorms.glorotUniformExpectedL2Norm(l.fanIn(), l.fanOut(),
            (int) l.kernelSize());
      }
      return scale;
    }
  }

  private static FrankWolfeStep.Setting classic(SupportRule rule) {
    return new FrankWolfeStep.Setting(KSparsePolytope.ofFraction(0.1), TAU, StepSize.classic(),
        List.of(), rule);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 0.8, 0.95})
  void perLayerSupport_firstClassicStep_keepsTheScheduledCountAtItsRadius(double sparsity) {
    // eta_0 = 1, so the kernels become the vertex itself.
    Map<String, float[]> p = kernelsAfter(classic(SupportRule.SCHEDULE_PER_LAYER), 1, sparsity);
    double[] scale = radiusTimesRootK();
    for (int i = 0; i < KERNELS.length; i++) {
      float[] kernel = p.get(KERNELS[i]);
      long k = ScheduledVertices.keptCount(sparsity, kernel.length);
      double radius = scale[i] / Math.sqrt(k);
      int nonZero = 0;
      for (float v : kernel) {
        if (v != 0) {
          nonZero++;
          assertEquals(radius, Math.abs(v), 1e-5 * radius, KERNELS[i]);
        }
      }
      assertEquals(k, nonZero, KERNELS[i]);
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 0.8, 0.95})
  void globalSupport_firstClassicStep_keepsTheScheduledCountOverAllKernels(double sparsity) {
    Map<String, float[]> p = kernelsAfter(classic(SupportRule.SCHEDULE_GLOBAL), 1, sparsity);
    double[] scale = radiusTimesRootK();
    long total = 0;
    int nonZero = 0;
    for (int i = 0; i < KERNELS.length; i++) {
      float[] kernel = p.get(KERNELS[i]);
      total += kernel.length;
      double radius = scale[i] / Math.sqrt(ScheduledVertices.keptCount(sparsity, kernel.length));
      for (float v : kernel) {
        if (v != 0) {
          nonZero++;
          assertEquals(radius, Math.abs(v), 1e-5 * radius, KERNELS[i]);
        }
      }
    }
    assertEquals(ScheduledVertices.keptCount(sparsity, total), nonZero);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 0.95})
  void runCounting_reportsTheVertexNonZerosOfEachKernel(double sparsity) {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 5)) {
      BatchSampler sampler = new BatchSampler(DATA, 32, true, 7);
      try (InputBatch batch = sampler.newBatch()) {
        sampler.next(batch);
        FrankWolfeStep.Outcome o = FrankWolfeStep.of(model.prunable(),
            classic(SupportRule.SCHEDULE_GLOBAL_LAYER_BUDGETS)).runCounting(model.prunable(), batch,
            sparsity);
        // The classic first step makes each kernel its vertex, so the counts are its non-zeros.
        Map<String, float[]> p = model.parameters();
        long total = 0;
        for (int i = 0; i < KERNELS.length; i++) {
          long nonZero = 0;
          for (float v : p.get(KERNELS[i])) {
            nonZero += v != 0 ? 1 : 0;
          }
          assertEquals(nonZero, o.vertexNonZeros()[i], KERNELS[i]);
          total += p.get(KERNELS[i]).length;
        }
        assertEquals(ScheduledVertices.keptCount(sparsity, total),
            o.vertexNonZeros()[0] + o.vertexNonZeros()[1]);
        assertTrue(Float.isFinite(o.loss()));
      }
    }
  }

  @Test
  void perLayerSupport_atTheConstraintsCount_equalsTheFixedPolytope() {
    // K = 0.25 n: 9 of 36 and 36 of 144, which sparsity 0.75 keeps as well.
    KSparsePolytope quarter = KSparsePolytope.ofFraction(0.25);
    FrankWolfeStep.Setting fixed = new FrankWolfeStep.Setting(quarter, TAU,
        StepSize.gradientRescaled(0.2), List.of(MovingAverage.of(0.9)), SupportRule.FIXED);
    FrankWolfeStep.Setting scheduled = new FrankWolfeStep.Setting(quarter, TAU,
        StepSize.gradientRescaled(0.2), List.of(MovingAverage.of(0.9)),
        SupportRule.SCHEDULE_PER_LAYER);
    Map<String, float[]> a = kernelsAfter(fixed, 5, 0.75);
    Map<String, float[]> b = kernelsAfter(scheduled, 5, 0.75);
    for (String name : KERNELS) {
      // The radius is computed in float32 on one path and double on the other.
      assertArrayEquals(a.get(name), b.get(name), 1e-5f, name);
    }
  }

  @Test
  void vertices_pickTheLargestScaledDirectionsPerLayerOrGlobally() {
    // Layer A: tau E = 1, n = 4; layer B: tau E = 10, n = 2; sparsity 0.5 keeps 2 + 1 per layer,
    // 3 globally. Radii 1/sqrt(2) and 10. Global scores r|d|: A 2.12 0.71 0.35 1.41, B 2 9.
    float ra = (float) (1 / Math.sqrt(2));
    float[][] perLayer = vertices(SupportRule.SCHEDULE_PER_LAYER);
    assertArrayEquals(new float[] {-ra, 0, 0, ra}, perLayer[0], 1e-6f);
    assertArrayEquals(new float[] {0, 10}, perLayer[1], 1e-5f);
    float[][] global = vertices(SupportRule.SCHEDULE_GLOBAL);
    assertArrayEquals(new float[] {-ra, 0, 0, 0}, global[0], 1e-6f);
    assertArrayEquals(new float[] {-10, 10}, global[1], 1e-5f);
  }

  private static float[][] vertices(SupportRule rule) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat32>> d = List.of(tf.constant(new float[] {3, -1, 0.5f, -2}),
          tf.constant(new float[] {0.2f, -0.9f}));
      ScheduledVertices v = ScheduledVertices.build(tf, rule, d, new double[] {1, 10});
      Session.Runner runner = s.runner();
      List<Tensor> fed = new java.util.ArrayList<>();
      for (ScalarFeed f : v.feeds(0.5)) {
        Tensor t = TInt32.scalarOf((int) f.value());
        fed.add(t);
        runner.feed(f.target(), t);
      }
      v.vertices().forEach(runner::fetch);
      try (Result r = runner.run()) {
        float[][] out = new float[2][];
        for (int i = 0; i < 2; i++) {
          TFloat32 t = (TFloat32) r.get(i);
          out[i] = new float[(int) t.size()];
          for (int j = 0; j < out[i].length; j++) {
            out[i][j] = t.getFloat(j);
          }
        }
        return out;
      } finally {
        fed.forEach(Tensor::close);
      }
    }
  }

  @Test
  void scheduledSupport_withoutAKSparsePolytope_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FrankWolfeStep.Setting(L1Ball.create(), TAU, StepSize.classic(), List.of(),
            SupportRule.SCHEDULE_PER_LAYER));
    assertEquals("support SCHEDULE_PER_LAYER needs a KSparsePolytope constraint, got L1Ball",
        e.getMessage());
  }

  @Test
  void scheduledSupport_runWithoutSparsity_throwsIllegalState() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 5)) {
      BatchSampler sampler = new BatchSampler(DATA, 32, true, 7);
      try (InputBatch batch = sampler.newBatch()) {
        sampler.next(batch);
        FrankWolfeStep step = FrankWolfeStep.of(model.prunable(),
            classic(SupportRule.SCHEDULE_GLOBAL));
        assertThrows(IllegalStateException.class, () -> step.run(model.prunable(), batch));
      }
    }
  }
}
