package org.fwprune.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.fwprune.core.Cnn;
import org.fwprune.pruning.SparsityMeter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune} and {@code evaluate} on a Keras file (core's paper_cnn fixture: 10x10 grey
 * images, 3 classes) with a tiny generated image folder; the pruned model is written as Keras.
 */
class KerasCommandsTest {

  @TempDir
  Path dir;

  private Path keras;
  private Path data;

  @BeforeEach
  void writeModelAndImages() throws IOException {
    keras = dir.resolve("paper_cnn.keras");
    try (InputStream in = getClass().getResourceAsStream("/keras/paper_cnn.keras")) {
      Files.copy(in, keras);
    }
    data = dir.resolve("data");
    for (String split : List.of("train", "test")) {
      for (int c = 0; c < 3; c++) {
        Path folder = Files.createDirectories(data.resolve(split).resolve("class" + c));
        for (int i = 0; i < 4; i++) {
          BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
          for (int y = 0; y < 10; y++) {
            image.getRaster().setSample(i % 10, y, 0, 80 * c + 10 * i);
          }
          ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
        }
      }
    }
  }

  private List<String> dataOptions() {
    return List.of("--data", data.toString(), "--data-format", "folder", "--image-size", "10",
        "--color", "grayscale", "--validation-size", "3");
  }

  private static int run(List<String> args, StringWriter err) {
    return FwpruneCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
        args.toArray(String[]::new));
  }

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(dataOptions());
    StringWriter err = new StringWriter();
    int status = run(all, err);
    if (status != 0) {
      System.err.println(err);
    }
    return status;
  }

  @Test
  void evaluate_kerasModel_succeeds() {
    assertEquals(0, run("evaluate", "--model", keras.toString()));
  }

  @Test
  void prune_kerasModelToKerasFile_writesASparseKerasModel() throws IOException {
    Path out = dir.resolve("pruned.keras");
    assertEquals(0, run("prune", "--model", keras.toString(), "--method", "one-shot",
        "--sparsity", "0.9", "--steps", "2", "--out", out.toString()));
    try (Cnn pruned = Cnn.loadKeras(out)) {
      // One global threshold over 792 kernel weights: 90% zeros, give or take a tie.
      assertEquals(0.9, SparsityMeter.overall(SparsityMeter.measure(pruned)), 2e-3);
    }
  }

  @Test
  void prune_structuredMethod_writesASmallerKerasModel() throws IOException {
    Path out = dir.resolve("smaller.keras");
    assertEquals(0, run("prune", "--model", keras.toString(), "--method", "structured-l1",
        "--steps", "2", "--out", out.toString()));
    try (Cnn original = Cnn.loadKeras(keras); Cnn pruned = Cnn.loadKeras(out)) {
      assertTrue(pruned.parameterCount() < original.parameterCount(),
          pruned.parameterCount() + " parameters, originally " + original.parameterCount());
    }
  }

  @Test
  void prune_outAsH5_isAUsageError() {
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(List.of("prune", "--model", keras.toString(), "--method",
        "one-shot", "--out", dir.resolve("x.h5").toString()));
    args.addAll(dataOptions());
    assertEquals(2, run(args, err));
    assertTrue(err.toString().contains(".keras archives only"), err.toString());
  }
}
