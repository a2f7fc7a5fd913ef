package org.fwprune.examples.benchmark;

import org.fwprune.examples.reproduce.Network;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The line that bench/compare-pytorch.sh sets against PyTorch's, on tiny synthetic data. */
class FrameworkComparisonTest {

  private static FrameworkComparison.Settings settings(int batch, int warmup, int chunks,
      int chunkSteps, double lr, double momentum, int small, int large) {
    return new FrameworkComparison.Settings(batch, warmup, chunks, chunkSteps, lr, momentum,
        small, large);
  }

  @Test
  void run_paperNetwork_givesTheKeysPytorchBenchPrints() {
    Dataset train = SyntheticData.bars(64, 28, 10, 1);
    Dataset test = SyntheticData.bars(8, 28, 10, 2);

    Map<String, Object> line = FrameworkComparison.run(Network.PAPER, train, test, 1,
        settings(16, 2, 3, 2, 0.05, 0.9, 4, 2));

    assertEquals(List.of("kind", "framework", "network", "parameters", "batch_size",
        "warmup_steps", "timed_steps", "train_images_per_s", "train_images_per_s_chunks",
        "last_loss", "predict_ms_per_example_batch_1", "predict_ms_per_example_batch_8"),
        List.copyOf(line.keySet()));
    assertEquals("paper", line.get("network"));
    assertEquals(34_826L, line.get("parameters"));
    assertEquals(6, line.get("timed_steps"));
    assertEquals(3, ((List<?>) line.get("train_images_per_s_chunks")).size());
    assertTrue((Double) line.get("train_images_per_s") > 0, line.toString());
    assertTrue(Double.isFinite((Double) line.get("last_loss")), line.toString());
    assertTrue((Double) line.get("predict_ms_per_example_batch_8") > 0, line.toString());
  }

  @ParameterizedTest(name = "{8}")
  @CsvSource(delimiter = ';', value = {
      "0; 0; 1; 1; 0.05; 0.9; 1; 1; batch size must be in [1, 65536]",
      "8; -1; 1; 1; 0.05; 0.9; 1; 1; warm-up steps must be >= 0",
      "8; 0; 0; 1; 0.05; 0.9; 1; 1; chunks must be >= 1",
      "8; 0; 1; 0; 0.05; 0.9; 1; 1; chunk steps must be >= 1",
      "8; 0; 1; 1; 0; 0.9; 1; 1; learning rate must be in (0, 10]",
      "8; 0; 1; 1; 0.05; 1; 1; 1; momentum must be in [0, 1)",
      "8; 0; 1; 1; 0.05; 0.9; 0; 1; batch-1 repeats must be in [1, 1000000]",
      "8; 0; 1; 1; 0.05; 0.9; 1; 0; batch-1000 repeats must be in [1, 1000000]"})
  void settings_outOfRange_throwsNamingTheRange(int batch, int warmup, int chunks,
      int chunkSteps, double lr, double momentum, int small, int large, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> settings(batch, warmup, chunks, chunkSteps, lr, momentum, small, large));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void of_unknownNetwork_namesTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Network.of("vgg"));
    assertTrue(e.getMessage().contains("among [paper"), e.getMessage());
  }
}
