package org.fwprune.pruning.structured;

import static org.fwprune.core.testing.FloatAsserts.GRAPH_TOLERANCE;
import static org.fwprune.core.testing.FloatAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.runtime.InputBatch;
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

  @ParameterizedTest
  @ValueSource(strings = {"conv2d_1", "conv2d_2", "dense_1"})
  void candidateLosses_equalLossOfZeroedCopies(String layer) {
    try (Cnn model = Models.mixed(8); InputBatch batch = fill(BATCH)) {
      Models.randomBiases(model, 9);
      SelectionGraph sg = SelectionGraph.of(model.graph());
      // conv2d_1 is already pruned to {1, 4}; the tested layer has selected {0} and scale 1.5.
      if (!layer.equals("conv2d_1")) {
        sg.reset("conv2d_1");
        sg.add("conv2d_1", 1);
        sg.add("conv2d_1", 4);
      }
      sg.reset(layer);
      sg.add(layer, 0);
      int[] candidates = {2, 1, 2};
      float[] losses = sg.candidateLosses(layer, candidates, 1.5, batch);
      for (int k = 0; k < candidates.length; k++) {
        Map<String, List<Integer>> kept = new java.util.LinkedHashMap<>();
        if (!layer.equals("conv2d_1")) {
          kept.put("conv2d_1", List.of(1, 4));
        }
        kept.put(layer, List.of(0, candidates[k]));
        try (Cnn zeroed = Models.zeroedCopy(model, kept, Map.of(layer, 1.5))) {
          assertEquals(zeroed.evaluate(BATCH).loss(), losses[k], GRAPH_TOLERANCE,
              "candidate " + candidates[k]);
        }
      }
    }
  }

  @Test
  void correct_afterSelection_equalsZeroedCopy() {
    try (Cnn model = Models.mixed(12); InputBatch batch = fill(BATCH)) {
      Models.randomBiases(model, 13);
      SelectionGraph sg = SelectionGraph.of(model.graph());
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
      SelectionGraph sg = SelectionGraph.of(model.graph());
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
