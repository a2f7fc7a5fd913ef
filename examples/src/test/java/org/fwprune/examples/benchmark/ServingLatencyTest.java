package org.fwprune.examples.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fwprune.examples.reproduce.Network;
import org.junit.jupiter.api.Test;

/** The serving benchmark on the paper CNN with two timed rounds: one row per engine. */
class ServingLatencyTest {

  @Test
  void run_timesPredictTheSessionAndTheFastestEngine() {
    List<ServingLatency.Row> rows = ServingLatency.run(Network.PAPER, 1, 1, 2);
    assertEquals(List.of("Cnn.predict", "tensorflow-session", "onnxruntime (predictor())"),
        rows.stream().map(ServingLatency.Row::engine).toList());
    rows.forEach(r -> assertTrue(r.msPerImage() > 0, r.toString()));
  }
}
