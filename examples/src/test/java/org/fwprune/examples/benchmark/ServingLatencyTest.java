package org.fwprune.examples.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fwprune.examples.reproduce.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving benchmark on the paper CNN with two timed rounds. */
class ServingLatencyTest {

  @Test
  void run_timesPredictTheSessionAndTheFastestEngine() {
    List<ServingLatency.Row> rows = ServingLatency.run(Network.PAPER, 1, 1, 2);
    assertEquals(List.of("Cnn.predict", "tensorflow-session", "onnxruntime (predictor())"),
        rows.stream().map(ServingLatency.Row::engine).toList());
    rows.forEach(r -> assertTrue(r.msPerImage() > 0, r.toString()));
  }

  @Test
  void alone_timesThePredictorAndExportsTheModelForThePeers(@TempDir Path dir)
      throws IOException {
    Path onnx = dir.resolve("paper.onnx");

    ServingLatency.Row row = ServingLatency.alone(Network.PAPER, 1, 1, 2, Optional.of(onnx));

    assertEquals("onnxruntime (alone)", row.engine());
    assertTrue(row.msPerImage() > 0, row.toString());
    assertTrue(Files.size(onnx) > 0, "the exported file is empty");
  }
}
