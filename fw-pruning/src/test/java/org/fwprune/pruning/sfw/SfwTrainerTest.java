package org.fwprune.pruning.sfw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Layer;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.DivergenceException;
import org.fwprune.core.train.History;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.constraints.Constraint;
import org.fwprune.pruning.constraints.GroupKSupportNormBall;
import org.fwprune.pruning.constraints.InitNorms;
import org.fwprune.pruning.constraints.KSparsePolytope;
import org.fwprune.pruning.constraints.KSupportNormBall;
import org.fwprune.pruning.constraints.L2Ball;
import org.junit.jupiter.api.Test;

/** {@link SfwTrainer} on small synthetic tasks. */
class SfwTrainerTest {

  private static final Dataset TRAIN = SyntheticData.bars(512, 8, 4, 1);
  private static final Dataset VALIDATION = SyntheticData.bars(200, 8, 4, 2);

  @Test
  void issueContract_trainsThenPrunesWithoutRetraining() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 0)) {
      Dataset train = TRAIN;
      // The code block of issue 15, as written.
      History h = SfwTrainer.builder()
          .constraint(KSparsePolytope.ofFraction(0.05))
          .tau(15).learningRate(1.0).momentum(0.9)
          .epochs(2).batchSize(128).seed(0)
          .build().fit(model, train);
      PruningReport r = MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT)
          .targetSparsity(0.9).steps(0)
          .build().prune(model, train);
      assertEquals(2, h.epochs().size());
      assertEquals(2 * 4, h.steps());
      assertEquals(0, r.gradientEvaluations());
      assertEquals(0.9, r.sparsity(), 1.0 / r.parameters());
    }
  }

  @Test
  void fit_learnsSeparableTask() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 0)) {
      History h = SfwTrainer.builder().epochs(6).batchSize(32).validation(VALIDATION).build()
          .fit(model, TRAIN);
      // The bars task is learnt to > 95% by SGD in a few hundred steps; 96 SFW steps pass 90%.
      assertTrue(h.last().validationAccuracy() > 0.9, h.toString());
    }
  }

  @Test
  void fit_kernelsStayInsideTheirKSparsePolytope() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 0)) {
      KSparsePolytope polytope = KSparsePolytope.ofFraction(0.05);
      // FW keeps a feasible point feasible; with tau 15 the Glorot initialisation is inside.
      assertKernelsInside(model, polytope, 15);
      SfwTrainer.builder().constraint(polytope).tau(15).epochs(6).batchSize(32).build()
          .fit(model, TRAIN);
      assertKernelsInside(model, polytope, 15);
    }
  }

  private static void assertKernelsInside(Cnn model, KSparsePolytope polytope, double tau) {
    Map<String, float[]> p = model.parameters();
    for (Layer layer : model.architecture().weightedLayers()) {
      int n = Math.toIntExact(layer.kernelSize());
      double r = polytope.radiusFromInit(tau, InitNorms.glorotUniformExpectedL2Norm(
          layer.fanIn(), layer.fanOut(), n), n);
      // Float rounding of convex combinations: 1e-5 of the L1 bound r K.
      assertTrue(polytope.contains(p.get(layer.kernelKey()), r, 1e-5 * r * polytope.k(n)),
          layer.name());
    }
  }

  @Test
  void fit_kSupportBall_learnsSeparableTask() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 0)) {
      History h = SfwTrainer.builder().constraint(KSupportNormBall.ofFraction(0.1)).epochs(6)
          .batchSize(32).validation(VALIDATION).build().fit(model, TRAIN);
      assertTrue(h.last().validationAccuracy() > 0.9, h.toString());
    }
  }

  @Test
  void fit_groupKSupportBall_learnsSeparableTask() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 0)) {
      History h = SfwTrainer.builder().constraint(GroupKSupportNormBall.ofFraction(0.5))
          .denseConstraint(L2Ball.create()).epochs(6).batchSize(32).validation(VALIDATION)
          .build().fit(model, TRAIN);
      assertTrue(h.last().validationAccuracy() > 0.9, h.toString());
    }
  }

  @Test
  void fit_groupKSupportBall_keepsEveryKernelInItsBall() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 0)) {
      GroupKSupportNormBall ball = GroupKSupportNormBall.ofCount(1);
      SfwTrainer.builder().constraint(ball).epochs(2).batchSize(32).build().fit(model, TRAIN);
      Map<String, float[]> p = model.parameters();
      for (Layer layer : model.architecture().weightedLayers()) {
        int n = Math.toIntExact(layer.kernelSize());
        double r = ball.radiusFromInit(15, InitNorms.glorotUniformExpectedL2Norm(layer.fanIn(),
            layer.fanOut(), n), n);
        // Groups are the output channels; float rounding of convex combinations: 1e-5 r.
        assertTrue(ball.contains(p.get(layer.kernelKey()), layer.channels(), r, 1e-5 * r),
            layer.name());
      }
    }
  }

  @Test
  void fit_denseConstraint_governsOnlyDenseKernels() {
    // From a zero dense kernel one step moves it to eta v: with the group ball (K = 1 of 4
    // output units) one column is non-zero, with the L2 ball all four are.
    assertEquals(1, nonZeroDenseColumnsAfterOneStep(null));
    assertEquals(4, nonZeroDenseColumnsAfterOneStep(L2Ball.create()));
  }

  private static int nonZeroDenseColumnsAfterOneStep(Constraint dense) {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 0)) {
      Layer last = model.architecture().weightedLayers()
          .get(model.architecture().weightedLayers().size() - 1);
      Map<String, float[]> p = model.parameters();
      p.put(last.kernelKey(), new float[p.get(last.kernelKey()).length]);
      model.setParameters(p);
      SfwTrainer.Builder b = SfwTrainer.builder().constraint(GroupKSupportNormBall.ofCount(1))
          .epochs(1).batchSize(TRAIN.size());
      if (dense != null) {
        b.denseConstraint(dense);
      }
      b.build().fit(model, TRAIN);
      float[] kernel = model.parameters().get(last.kernelKey());
      boolean[] nonZero = new boolean[4];
      for (int i = 0; i < kernel.length; i++) {
        nonZero[i % 4] |= kernel[i] != 0f;
      }
      int count = 0;
      for (boolean z : nonZero) {
        count += z ? 1 : 0;
      }
      return count;
    }
  }

  @Test
  void fit_twiceFromSameWeights_givesSameWeights() {
    // No dropout in the linear model, so two runs from the same weights and seed must agree
    // bit for bit unless state (momentum, step counter) carries over from the first run.
    try (Cnn model = SyntheticData.linear()) {
      Map<String, float[]> start = model.parameters();
      SfwTrainer trainer = SfwTrainer.builder().epochs(2).build();
      trainer.fit(model, TRAIN);
      Map<String, float[]> first = model.parameters();
      // A run with other settings in between must not leak into the next either.
      SfwTrainer.builder().momentum(0.5).learningRate(0.3).epochs(1).build().fit(model, TRAIN);
      model.setParameters(start);
      trainer.fit(model, TRAIN);
      Map<String, float[]> second = model.parameters();
      for (String key : first.keySet()) {
        assertArrayEquals(first.get(key), second.get(key), 0f, key);
      }
    }
  }

  @Test
  void momentumConvention_withZeroMomentum_sumEqualsAverage() {
    // With momentum 0 both buffers are the gradient itself: the weights must agree bit for bit.
    Map<String, float[]> average = trainLinear(MomentumConvention.AVERAGE, 0);
    Map<String, float[]> sum = trainLinear(MomentumConvention.SUM, 0);
    for (String key : average.keySet()) {
      assertArrayEquals(average.get(key), sum.get(key), 0f, key);
    }
  }

  @Test
  void momentumConvention_sum_takesLongerStepsThanAverage() {
    // The sum's buffer grows to 1 / (1 - 0.9) = 10 times the average's, and the rescaled step
    // grows with it, so after the same steps the weights have moved further from the start.
    try (Cnn start = SyntheticData.linear()) {
      Map<String, float[]> initial = start.parameters();
      double average = distance(initial, trainLinear(MomentumConvention.AVERAGE, 0.9));
      double sum = distance(initial, trainLinear(MomentumConvention.SUM, 0.9));
      assertTrue(sum > 1.5 * average, "sum " + sum + " vs average " + average);
    }
  }

  private static Map<String, float[]> trainLinear(MomentumConvention convention, double momentum) {
    try (Cnn model = SyntheticData.linear()) {
      SfwTrainer.builder().momentum(momentum).momentumConvention(convention).learningRate(0.05)
          .epochs(2).batchSize(64).build().fit(model, TRAIN);
      return model.parameters();
    }
  }

  private static double distance(Map<String, float[]> a, Map<String, float[]> b) {
    double sum = 0;
    for (String key : a.keySet()) {
      for (int i = 0; i < a.get(key).length; i++) {
        double d = a.get(key)[i] - b.get(key)[i];
        sum += d * d;
      }
    }
    return Math.sqrt(sum);
  }

  @Test
  void momentumConvention_null_isRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SfwTrainer.builder().momentumConvention(null));
    assertTrue(e.getMessage().contains("momentumConvention"), e.getMessage());
  }

  @Test
  void fit_onBatchNormResidualNetwork_trainsAndMovesTheStatistics() {
    Dataset bars = SyntheticData.bars(128, 8, 4, 3);
    try (Cnn model = residualNetwork()) {
      SfwTrainer.builder().epochs(1).batchSize(32).build().fit(model, bars);
      for (float m : model.parameters().get("batch_normalization_1/moving_mean")) {
        assertTrue(m != 0f, "moving mean still at its initial 0");
      }
    }
  }

  @Test
  void fit_groupKSupportBall_onBatchNormResidualNetwork_keepsWeightsFinite() {
    Dataset bars = SyntheticData.bars(128, 8, 4, 3);
    try (Cnn model = residualNetwork()) {
      Map<String, float[]> before = model.parameters();
      SfwTrainer.builder().constraint(GroupKSupportNormBall.ofFraction(0.25)).epochs(1)
          .batchSize(32).build().fit(model, bars);
      Map<String, float[]> after = model.parameters();
      for (Layer layer : model.architecture().weightedLayers()) {
        float[] kernel = after.get(layer.kernelKey());
        for (float v : kernel) {
          assertTrue(Float.isFinite(v), layer.name());
        }
        assertFalse(Arrays.equals(before.get(layer.kernelKey()), kernel), layer.name());
      }
    }
  }

  @Test
  void fit_groupKSupportBall_coupledProducersKeepTheSameFilters() {
    // The stem conv and the residual block's conv produce channels that the addition sums, so
    // StructuredPruner can only cut a channel from both at once. With learning rate 1000 the one
    // full-batch step has eta = 1 and lands on the LMO's vertex, whose support is exactly the K
    // channels chosen: one shared choice for both kernels when they share one ball.
    Dataset bars = SyntheticData.bars(64, 8, 4, 3);
    try (Cnn model = residualNetwork(8)) {
      SfwTrainer.builder().constraint(GroupKSupportNormBall.ofCount(2))
          .denseConstraint(L2Ball.create()).learningRate(1000).momentum(0).epochs(1)
          .batchSize(bars.size()).build().fit(model, bars);
      Map<String, float[]> p = model.parameters();
      List<Layer> convs = model.architecture().weightedLayers().subList(0, 2);
      Set<Integer> stem = nonZeroChannels(p.get(convs.get(0).kernelKey()), 8);
      assertEquals(2, stem.size(), stem.toString());
      assertEquals(stem, nonZeroChannels(p.get(convs.get(1).kernelKey()), 8));
    }
  }

  /** Output channels (last axis of {@code channels}) with a non-zero weight. */
  private static Set<Integer> nonZeroChannels(float[] kernel, int channels) {
    Set<Integer> out = new TreeSet<>();
    for (int i = 0; i < kernel.length; i++) {
      if (kernel[i] != 0f) {
        out.add(i % channels);
      }
    }
    return out;
  }

  /** Conv-BatchNorm-ReLU, a residual conv-BatchNorm block, pooling and a dense classifier. */
  private static Cnn residualNetwork() {
    return residualNetwork(4);
  }

  /** {@link #residualNetwork()} with {@code channels} channels in both convolutions. */
  private static Cnn residualNetwork(int channels) {
    return Cnn.builder().input(8, 8, 1)
        .conv2d(channels, 3, 1, org.fwprune.core.model.Padding.SAME, false).batchNorm().relu()
        .residual(b -> b.conv2d(channels, 3, 1, org.fwprune.core.model.Padding.SAME, false)
            .batchNorm())
        .relu().globalAvgPool().dense(4).softmax().build();
  }

  @Test
  void fit_repeatedWithOtherSettings_addsNoOps() {
    try (Cnn model = SyntheticData.linear()) {
      SfwTrainer.builder().epochs(1).build().fit(model, TRAIN);
      long ops = countOps(model);
      SfwTrainer.builder().epochs(1).tau(3).learningRate(0.2).momentum(0.5)
          .learningRateSchedule(LearningRateSchedule.constant()).build().fit(model, TRAIN);
      assertEquals(ops, countOps(model));
    }
  }

  private static long countOps(Cnn model) {
    return ModelGraph.of(model.prunable()).opCount();
  }

  @Test
  void fit_diverging_throwsNamingStepAndKeepsFiniteWeights() {
    try (Cnn model = SyntheticData.linear()) {
      DivergenceException e = assertThrows(DivergenceException.class,
          () -> SfwTrainer.builder().epochs(3).build().fit(model, overflowing()));
      assertEquals(1, e.epoch());
      for (float[] values : model.parameters().values()) {
        for (float v : values) {
          assertTrue(Float.isFinite(v));
        }
      }
    }
  }

  /**
   * 64 images of 8x8 pixels equal to 3e38: the linear model's logits, sums of 64 such products,
   * overflow float32 on the first step, whatever the (bounded) SFW weights.
   */
  private static Dataset overflowing() {
    return SyntheticData.uniform(3e38f);
  }

  @Test
  void fit_prunedModel_isRefused() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 0)) {
      MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT).targetSparsity(0.5).steps(0)
          .build().prune(model, TRAIN);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> SfwTrainer.builder().build().fit(model, TRAIN));
      assertTrue(e.getMessage().startsWith("SFW training needs a dense model"), e.getMessage());
    }
  }

  @Test
  void fit_wrongImageShape_namesBothShapes() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 0)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SfwTrainer.builder().build().fit(model, SyntheticData.bars(10, 12, 4, 0)));
      assertEquals("training data has 12x12x1 images but the model expects 8x8x1",
          e.getMessage());
    }
  }
}
