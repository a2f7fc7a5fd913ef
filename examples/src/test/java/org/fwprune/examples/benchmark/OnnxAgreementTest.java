package org.fwprune.examples.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fwprune.core.Cnn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxAgreementTest {

  @TempDir Path dir;

  /** The MobileNetV2 miniature of core's test fixtures, copied out of the class path. */
  private Path mobilenet() throws IOException {
    Path file = dir.resolve("mobilenet_v2.keras");
    try (InputStream in = getClass().getResourceAsStream("/keras/families/mobilenet_v2.keras")) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void measure_reportsTheOnnxRuntimeEngineAgreeingWithPredict() throws IOException {
    try (Cnn model = Cnn.loadKeras(mobilenet())) {
      OnnxAgreement.Row row = OnnxAgreement.measure("mobilenet_v2", model, 3);
      // The examples carry fwprune-onnxruntime, so the predictor is ONNX Runtime; the export
      // agrees within the onnxruntime module's 1e-4 bound for the family miniatures.
      assertEquals("onnxruntime", row.engine());
      assertEquals(3, row.images());
      assertTrue(row.maxDifference() < 1e-4, row.toString());
      assertTrue(row.largestOutput() > 0, row.toString());
    }
  }

  @Test
  void measure_refusesNoImages() throws IOException {
    try (Cnn model = Cnn.loadKeras(mobilenet())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OnnxAgreement.measure("m", model, 0));
      assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }
  }
}
