package org.fwprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.KerasFixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The Keras Applications families, as miniatures built with Keras' own application code
 * (tools/keras/make_family_fixtures.py, Keras 3.15.1, jax backend, random BatchNorm statistics):
 * loaded, run and saved back.
 */
class KerasFamiliesTest {

  /**
   * The bar for the families: softmax outputs within 1e-4 of Keras'. Deep stacks of
   * float32 convolutions summed in another order drift further than one layer's 1e-5.
   */
  static final float FAMILY_TOLERANCE = 1e-4f;

  static final java.util.List<String> FAMILIES = KerasFixtures.FAMILIES;

  @TempDir
  Path tmp;

  private static Path fixture(String family) {
    return KerasFixtures.path("families/" + family + ".keras");
  }



  @ParameterizedTest(name = "{0}")
  @FieldSource("FAMILIES")
  void loadKeras_family_predictsWhatKerasPredicts(String family) throws IOException {
    KerasFixtures.Probe probe = KerasFixtures.probe("families/" + family);
    try (Cnn model = Cnn.loadKeras(fixture(family))) {
      float[] actual = FloatAsserts.flatten(model.predict(probe.inputs()));
      System.out.printf("keras family %s: %d parameters, max |fwprune - keras| = %.3g%n", family,
          model.architecture().parameterCount() + model.architecture().nonTrainableCount(),
          FloatAsserts.maxAbsDifference(probe.outputs(), actual));
      FloatAsserts.assertClose(probe.outputs(), actual, FAMILY_TOLERANCE);
    }
  }

  // Saved and read back, the model is the same network with the same values, so it predicts the
  // very same floats (tolerance 0). The nodes may come back in another topological order: the
  // archive lists them in Keras' own order, which names its weight groups.
  @ParameterizedTest(name = "{0}")
  @FieldSource("FAMILIES")
  void saveKeras_family_reloadsToSamePredictions(String family) throws IOException {
    KerasFixtures.Probe probe = KerasFixtures.probe("families/" + family);
    Path out = tmp.resolve(family + "-copy.keras");
    try (Cnn model = Cnn.loadKeras(fixture(family))) {
      model.saveKeras(out);
      try (Cnn copy = Cnn.loadKeras(out)) {
        assertEquals(new java.util.HashSet<>(model.architecture().nodes()),
            new java.util.HashSet<>(copy.architecture().nodes()));
        FloatAsserts.assertClose(FloatAsserts.flatten(model.predict(probe.inputs())),
            FloatAsserts.flatten(copy.predict(probe.inputs())), 0f);
      }
    }
  }
}
