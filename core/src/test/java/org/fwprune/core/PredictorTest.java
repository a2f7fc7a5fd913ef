package org.fwprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.SessionPredictor;
import org.fwprune.core.serving.Predictor;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.PredictorChecks;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The serving predictor on TensorFlow, the engine core has when no other module provides one. */
class PredictorTest {

  private static final Dataset BARS = SyntheticData.bars(16, 8, 4, 3);

  static Stream<Arguments> networks() {
    return Stream.of(
        Arguments.of("small CNN", (LongFunction<Cnn>) s -> SyntheticData.smallCnn(8, 4, s)),
        Arguments.of("ResNet-8", (LongFunction<Cnn>) s -> SyntheticData.trainedResNet8(BARS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void tensorFlowPredictor_givesWhatPredictGives(String name, LongFunction<Cnn> network) {
    try (Cnn model = network.apply(2); Predictor predictor = model.tensorFlowPredictor()) {
      float[][] expected = model.predict(BARS);
      for (int i = 0; i < BARS.size(); i++) {
        // Same float32 graph ops at another batch size: within the graph tolerance (1e-5).
        FloatAsserts.assertClose(expected[i], predictor.predict(BARS.image(i)),
            FloatAsserts.GRAPH_TOLERANCE);
      }
    }
  }

  @Test
  void predictor_withNoEngineModule_isTheTensorFlowSession() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1); Predictor predictor = model.predictor()) {
      assertEquals(SessionPredictor.ENGINE, predictor.engine());
      assertEquals(4, predictor.outputSize());
      assertEquals(64, predictor.input().size());
    }
  }

  @Test
  void predictor_fromFourThreads_givesWhatOneThreadGives() throws Exception {
    try (Cnn model = SyntheticData.trainedResNet8(BARS);
        Predictor predictor = model.tensorFlowPredictor()) {
      PredictorChecks.assertFourThreadsEqualOne(predictor, BARS);
    }
  }

  @Test
  void predict_imageOfTheWrongLength_isRefusedNamingBothLengths() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1); Predictor predictor = model.predictor()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> predictor.predict(new float[63]));
      assertEquals("expected one 8x8x1 (height x width x channels, channels last) image of 64"
          + " floats, got 63", e.getMessage());
    }
  }

  @Test
  void predict_afterClose_throwsIllegalState() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      Predictor predictor = model.predictor();
      predictor.close();
      predictor.close();  // idempotent
      assertThrows(IllegalStateException.class, () -> predictor.predict(BARS.image(0)));
    }
  }

  @Test
  void predictor_outlivesItsModel() {
    Predictor predictor;
    float[] expected;
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      predictor = model.predictor();
      expected = model.predict(BARS.subset(0, 1))[0];
    }
    try (predictor) {
      FloatAsserts.assertClose(expected, predictor.predict(BARS.image(0)),
          FloatAsserts.GRAPH_TOLERANCE);
    }
  }

  @Test
  void predictor_ofAClosedModel_throwsIllegalState() {
    Cnn model = SyntheticData.smallCnn(8, 4, 1);
    model.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, model::predictor);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
