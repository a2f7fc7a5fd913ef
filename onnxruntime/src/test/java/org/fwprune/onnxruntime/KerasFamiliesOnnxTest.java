package org.fwprune.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.KerasFixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX Runtime reproduces the library's predictions on the Keras Applications miniatures (core's
 * test fixtures, built with Keras' own application code by tools/keras/make_family_fixtures.py):
 * every layer kind they hold, among them depthwise convolutions, zero padding, SAME pooling,
 * capped and leaky ReLUs, every activation function, concatenation, squeeze-and-excitation
 * products, reshapes, rescaling and normalisation, goes through {@code Cnn.exportOnnx}.
 * ResNet50V2 also pins the zero-padded max pool of its stem, which ONNX Runtime's own graph
 * optimizer would get wrong if the export wrote it as Pad then MaxPool. Inputs
 * are the images the fixture recorded Keras' outputs on. Tolerance
 * 1e-4 absolute on the softmax outputs, the bound for the deep families: float32 sums in
 * another order drift further over dozens of layers than over one.
 */
class KerasFamiliesOnnxTest {

  private static final float TOLERANCE = 1e-4f;

  /** The fixtures, read from core's test resources in the source tree. */
  private static final Path FIXTURES = KerasFixtures.FAMILIES_IN_SOURCE_TREE;

  static List<String> families() {
    return KerasFixtures.FAMILIES;
  }

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void onnxRuntime_reproducesTheFamily(String family) throws IOException, OrtException {
    Path fixture = FIXTURES.resolve(family + ".keras");
    assertTrue(Files.exists(fixture), "missing fixture " + fixture.toAbsolutePath());
    try (Cnn model = Cnn.loadKeras(fixture)) {
      Dataset batch = probeInputs(family, model.architecture());
      Path file = dir.resolve(family + ".onnx");
      model.exportOnnx(file);
      float[] expected = FloatAsserts.flatten(model.predict(batch));
      float[] actual = FloatAsserts.flatten(OrtRuns.run(file, batch));
      assertEquals(expected.length, actual.length);
      // Not vacuous: the outputs spread over far more than the tolerance.
      float spread = 0;
      for (float v : expected) {
        spread = Math.max(spread, Math.abs(v - expected[0]));
      }
      System.out.printf("keras family %s in ONNX Runtime: max |ort - fwprune| = %.3g, output"
          + " spread %.3g%n", family, FloatAsserts.maxAbsDifference(expected, actual), spread);
      assertTrue(spread > 10 * TOLERANCE, family + ": outputs spread over only " + spread);
      FloatAsserts.assertClose(expected, actual, TOLERANCE);
    }
  }

  /**
   * The images Keras' outputs were recorded on ({@code <family>.json}, uniform in [0, 1)), on
   * which the miniatures' outputs are spread out rather than saturated.
   */
  private static Dataset probeInputs(String family, Architecture a) throws IOException {
    JsonNode json = new ObjectMapper().readTree(FIXTURES.resolve(family + ".json").toFile());
    JsonNode values = json.get("inputs");
    float[] pixels = new float[values.size()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) values.get(i).asDouble();
    }
    int n = json.get("input_shape").get(0).asInt();
    return Dataset.of(pixels, new int[n], a.height(), a.width(), a.channels(), classes(a));
  }

  private static int classes(Architecture a) {
    List<Integer> out = a.resolvedLayers().get(a.resolvedLayers().size() - 1).outputShape();
    return out.get(out.size() - 1);
  }
}
