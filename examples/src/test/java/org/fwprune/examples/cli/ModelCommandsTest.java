package org.fwprune.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.fwprune.core.Cnn;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.pruning.SparsityMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune}, {@code evaluate} and {@code export} on a saved (untrained) paper CNN with the
 * shared MNIST folder; skipped where that folder is absent. A few gradients keep it quick.
 */
class ModelCommandsTest {

  @TempDir
  Path dir;

  @Test
  void pruneEvaluateExport_onASavedModel_succeed() throws IOException {
    Optional<Path> mnist = SyntheticData.mnistFolder();
    assumeTrue(mnist.isPresent(), "needs the shared MNIST folder");
    Path model = dir.resolve("model");
    try (Cnn cnn = SyntheticData.paperCnn(3)) {
      cnn.save(model);
    }
    Path pruned = dir.resolve("pruned");

    assertEquals(0, run("prune", "--model", model.toString(), "--method", "one-shot",
        "--target-sparsity", "0.8", "--steps", "3", "--data", mnist.get().toString(), "--out",
        pruned.toString()));
    try (Cnn cnn = Cnn.load(pruned)) {
      // One global threshold over 34,720 kernel weights: 80% zeros, give or take a tie.
      assertEquals(0.8, SparsityMeter.overall(SparsityMeter.measure(cnn)), 1e-4);
    }
    assertEquals(0, run("evaluate", "--model", pruned.toString(), "--data",
        mnist.get().toString()));
    Path served = dir.resolve("served");
    assertEquals(0, run("export", "--model", pruned.toString(), "--out", served.toString()));
    assertTrue(Files.exists(served.resolve("saved_model.pb")));
  }

  @Test
  void exportOnnx_onASavedModel_writesTheFile() throws IOException {
    Path model = SyntheticData.savedSmallCnn(dir.resolve("model"));
    Path onnx = dir.resolve("model.onnx");
    assertEquals(0, run("export", "--model", model.toString(), "--format", "onnx", "--out",
        onnx.toString()));
    // An ONNX ModelProto starts with field 1 (ir_version) as a varint: tag byte 0x08.
    assertEquals(0x08, Files.readAllBytes(onnx)[0]);
  }

  @Test
  void exportOnnx_ontoAFolder_isRefusedWithTheReason() throws IOException {
    Path model = SyntheticData.savedSmallCnn(dir.resolve("model"));
    StringWriter err = new StringWriter();
    int status = FwpruneCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
        "export", "--model", model.toString(), "--format", "onnx", "--out", dir.toString());
    assertEquals(2, status, err.toString());
    assertTrue(err.toString().contains("writes a file"), err.toString());
  }

  private static int run(String... args) {
    StringWriter err = new StringWriter();
    int status = FwpruneCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
        args);
    if (status != 0) {
      System.err.println(err);
    }
    return status;
  }
}
