package org.fwprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.KerasFixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Keras models loaded, run and saved back: the fixtures are real Keras 3 files. */
class KerasInteropTest {

  @TempDir
  Path tmp;

  static java.util.stream.Stream<Arguments> fixtures() {
    return KerasFixtures.NAMES.stream().flatMap(name -> java.util.stream.Stream.of(
        Arguments.of(name, ".keras"), Arguments.of(name, ".h5")));
  }

  static java.util.List<String> names() {
    return KerasFixtures.NAMES;
  }



  // Keras computed the expected outputs in float32 on the same inputs; 1e-5 allows for a
  // different order of summation in the convolutions.
  @ParameterizedTest(name = "{0}{1}")
  @MethodSource("fixtures")
  void loadKeras_fixture_predictsWhatKerasPredicts(String name, String format)
      throws IOException {
    KerasFixtures.Probe probe = KerasFixtures.probe(name);
    try (Cnn model = Cnn.loadKeras(KerasFixtures.path(name + format))) {
      float[] actual = FloatAsserts.flatten(model.predict(probe.inputs()));
      System.out.printf("keras fidelity %s%s: max |fwprune - keras| = %.3g%n", name, format,
          FloatAsserts.maxAbsDifference(probe.outputs(), actual));
      FloatAsserts.assertClose(probe.outputs(), actual, FloatAsserts.GRAPH_TOLERANCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void saveKeras_thenLoadKeras_sameArchitectureAndWeights(String name) throws IOException {
    Path out = tmp.resolve(name + "-copy.keras");
    try (Cnn model = Cnn.loadKeras(KerasFixtures.path(name + ".keras"))) {
      model.saveKeras(out);
      try (Cnn copy = Cnn.loadKeras(out)) {
        assertEquals(model.architecture().layers(), copy.architecture().layers());
        Map<String, float[]> expected = model.parameters();
        Map<String, float[]> actual = copy.parameters();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertTrue(Arrays.equals(v, actual.get(k)), k));
      }
    }
  }
}
