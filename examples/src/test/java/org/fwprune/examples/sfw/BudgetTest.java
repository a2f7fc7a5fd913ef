package org.fwprune.examples.sfw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.PaperNetwork;
import org.fwprune.examples.reproduce.Network;
import org.junit.jupiter.api.Test;

/** The studies' model factory. */
class BudgetTest {

  @Test
  void model_paper_isThePaperNetworkOfThatSeed() {
    // The studies built PaperNetwork directly before --network; their paper rows must not move.
    try (Cnn study = Budget.model(Network.PAPER, 7, 1);
        Cnn direct = PaperNetwork.builder().seed(7).threads(1, 1).build()) {
      assertEquals(direct.architecture(), study.architecture());
      Map<String, float[]> expected = direct.parameters();
      study.parameters().forEach((k, v) -> assertArrayEquals(expected.get(k), v, 0f, k));
    }
  }

  @Test
  void model_resnet20_isTheResNet20PresetWithTheGivenSeedAndKerasStatistics() {
    try (Cnn model = Budget.model(Network.RESNET20, 3, 1)) {
      // Without debiasing, as the committed study figures were measured.
      assertEquals(Network.RESNET20.architecture().withBatchNormDebias(false).nodes(),
          model.architecture().nodes());
      assertEquals(3, model.architecture().seed());
    }
  }
}
