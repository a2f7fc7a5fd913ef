package org.fwprune.pruning.structured;

import static org.fwprune.core.testing.FloatAsserts.GRAPH_TOLERANCE;
import static org.fwprune.core.testing.FloatAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.InputBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The masked graph against the reference: real copies of the model with filters zeroed. */
class SelectionGraphTest {

  private static final Dataset BATCH = Models.randomImages(24, 10, 2, 3, 11);

  private static InputBatch fill(Dataset data) {
    InputBatch batch = new InputBatch(data.size(), 10, 10, 2);
    batch.fill(data, IntStream.range(0, data.size()).toArray(), 0, data.size());
    return batch;
  }

  /**
   * Prunes group {@code earlier} to {@code {1, 3}} (unless it is the tested group), selects
   * channel 0 of {@code group}, and checks the loss of each candidate against a real copy of the
   * model with the other channels zeroed (Models.zeroedCopy), within 1e-5.
   */
  private static void assertCandidatesMatchZeroedCopies(Cnn model, Dataset data, String earlier,
      String group, int[] candidates, double scale) {
    try (InputBatch batch = new InputBatch(data.size(), data.height(), data.width(),
        data.channels())) {
      batch.fill(data, IntStream.range(0, data.size()).toArray(), 0, data.size());
      SelectionGraph sg = SelectionGraph.of(model.prunable());
      Map<String, List<Integer>> kept = new LinkedHashMap<>();
      if (!group.equals(earlier)) {
        sg.reset(earlier);
        sg.add(earlier, 1);
        sg.add(earlier, 3);
        kept.put(earlier, List.of(1, 3));
      }
      sg.reset(group);
      sg.add(group, 0);
      float[] losses = sg.candidateLosses(group, candidates, scale, batch);
      for (int k = 0; k < candidates.length; k++) {
        kept.put(group, List.of(0, candidates[k]));
        try (Cnn zeroed = Models.zeroedCopy(model, kept, Map.of(group, scale))) {
          assertEquals(zeroed.evaluate(data).loss(), losses[k], GRAPH_TOLERANCE,
              "candidate " + candidates[k]);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"conv2d_1", "conv2d_2", "dense_1"})
  void candidateLosses_equalLossOfZeroedCopies(String layer) {
    try (Cnn model = Models.mixed(8)) {
      Models.randomBiases(model, 9);
      assertCandidatesMatchZeroedCopies(model, BATCH, "conv2d_1", layer, new int[] {2, 1, 2},
          1.5);
    }
  }

  /** Groups of {@link Models#residual}: tiled at the input, after a block, single layer, dense. */
  @ParameterizedTest
  @ValueSource(strings = {"conv2d_1", "conv2d_5", "conv2d_7", "dense_1"})
  void candidateLosses_residualGroup_equalLossOfZeroedCopies(String group) {
    try (Cnn model = Models.residual(32, false)) {
      Models.randomNormsAndBiases(model, 33);
      assertCandidatesMatchZeroedCopies(model, Models.randomImages(16, 12, 3, 3, 31), "conv2d_2",
          group, new int[] {2, 4}, 1);
    }
  }

  /**
   * Groups of {@link Models#denseNet}, masked at their offsets in the BatchNorms after each
   * concatenation: the stem (offset 0), a block layer (offset 6) and the transition.
   */
  @ParameterizedTest
  @ValueSource(strings = {"conv2d_1", "conv2d_3", "conv2d_6"})
  void candidateLosses_concatenatedGroup_equalLossOfZeroedCopies(String group) {
    try (Cnn model = Models.denseNet(34)) {
      Models.randomNormsAndBiases(model, 35);
      assertCandidatesMatchZeroedCopies(model, Models.randomImages(16, 12, 3, 3, 36), "conv2d_3",
          group, new int[] {2, 3}, 1);
    }
  }

  @Test
  void correct_afterSelection_equalsZeroedCopy() {
    try (Cnn model = Models.mixed(12); InputBatch batch = fill(BATCH)) {
      Models.randomBiases(model, 13);
      SelectionGraph sg = SelectionGraph.of(model.prunable());
      sg.reset("conv2d_2");
      sg.add("conv2d_2", 3);
      sg.add("conv2d_2", 0);
      sg.scale("conv2d_2", 2.5);
      try (Cnn zeroed = Models.zeroedCopy(model, Map.of("conv2d_2", List.of(0, 3)),
          Map.of("conv2d_2", 2.5))) {
        assertEquals(zeroed.evaluate(BATCH).accuracy() * BATCH.size(), sg.correct(batch), 1e-6);
      }
    }
  }

  @Test
  void restore_afterSelection_leavesModelAsBefore() {
    try (Cnn model = Models.mixed(14)) {
      float[][] before = model.predict(BATCH);
      SelectionGraph sg = SelectionGraph.of(model.prunable());
      sg.reset("conv2d_1");
      sg.add("conv2d_1", 2);
      sg.restore();
      float[][] after = model.predict(BATCH);
      List<float[]> rows = new ArrayList<>(List.of(after));
      for (int i = 0; i < before.length; i++) {
        assertClose(before[i], rows.get(i), 0f);
      }
      try (InputBatch batch = fill(BATCH)) {
        assertEquals(model.evaluate(BATCH).accuracy() * BATCH.size(), sg.correct(batch), 1e-6);
      }
    }
  }
}
