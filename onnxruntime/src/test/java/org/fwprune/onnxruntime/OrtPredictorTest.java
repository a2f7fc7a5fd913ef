package org.fwprune.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.serving.Predictor;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.PredictorChecks;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;

/** {@code Cnn.predictor()} with this module present: the ONNX Runtime engine. */
class OrtPredictorTest {

  private static final Dataset BARS = SyntheticData.bars(16, 28, 10, 5);

  @Test
  void predictor_withThisModulePresent_isOnnxRuntime() {
    try (Cnn model = SyntheticData.paperCnn(1); Predictor predictor = model.predictor()) {
      assertEquals(OrtPredictorEngine.NAME, predictor.engine());
    }
  }

  @Test
  void predict_onResNet20_givesWhatCnnPredictGives() {
    try (Cnn model = Cnn.of(Architectures.resNet(20, 28, 28, 1, 10));
        Predictor predictor = model.predictor()) {
      float[][] expected = model.predict(BARS);
      for (int i = 0; i < BARS.size(); i++) {
        // The bound for ResNet-20: 1e-5 on every probability.
        FloatAsserts.assertClose(expected[i], predictor.predict(BARS.image(i)), 1e-5f);
      }
    }
  }

  @Test
  void predictor_fromFourThreads_givesWhatOneThreadGives() throws Exception {
    try (Cnn model = Cnn.of(Architectures.resNet(20, 28, 28, 1, 10));
        Predictor predictor = model.predictor()) {
      PredictorChecks.assertFourThreadsEqualOne(predictor, BARS);
    }
  }

  @Test
  void predict_imageOfTheWrongLength_isRefusedNamingBothLengths() {
    try (Cnn model = SyntheticData.paperCnn(1); Predictor predictor = model.predictor()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> predictor.predict(new float[28 * 28 * 3]));
      assertEquals("expected one 28x28x1 (height x width x channels, channels last) image of 784"
          + " floats, got 2352", e.getMessage());
    }
  }

  @Test
  void predict_afterClose_throwsIllegalState() {
    try (Cnn model = SyntheticData.paperCnn(1)) {
      Predictor predictor = model.predictor();
      predictor.close();
      predictor.close();  // idempotent
      float[] image = new float[784];
      assertThrows(IllegalStateException.class, () -> predictor.predict(image));
    }
  }
}
