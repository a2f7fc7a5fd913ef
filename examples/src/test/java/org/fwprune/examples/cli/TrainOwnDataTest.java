package org.fwprune.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fwprune.core.data.Cifar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code train} on users' own data: image folders and CIFAR files, generated here, tiny. */
class TrainOwnDataTest {

  @TempDir
  Path dir;

  /** Exit status, the command's standard output, and picocli's error output. */
  private record Run(int status, String stdout, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int status;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      status = FwpruneCli.run(new PrintWriter(new StringWriter(), true),
          new PrintWriter(err, true), args);
    } finally {
      System.setOut(saved);
    }
    return new Run(status, stdout.toString(StandardCharsets.UTF_8), err.toString());
  }

  /** Writes {@code count} 12x12 PNGs into {@code split/cls}: dark for "dark", light otherwise. */
  private void images(String split, String cls, int count) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(split).resolve(cls));
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB);
      int level = cls.equals("dark") ? 20 + i : 230 - i;
      for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 12; x++) {
          image.setRGB(x, y, level * 0x010101);
        }
      }
      ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
    }
  }

  /** Writes CIFAR-10 records with labels cycling through 0..9 and zero pixels. */
  private void cifarFile(String name, int records) throws IOException {
    int size = Cifar.Format.CIFAR_10.recordBytes();
    byte[] data = new byte[records * size];
    for (int r = 0; r < records; r++) {
      data[r * size] = (byte) (r % 10);
    }
    Files.write(dir.resolve(name), data);
  }

  @Test
  void train_imageFolder_trainsAndReportsTestAccuracy() throws IOException {
    images("train", "dark", 10);
    images("train", "light", 10);
    images("test", "dark", 3);
    images("test", "light", 3);

    Run r = run("train", "--data-format", "folder", "--data", dir.toString(), "--image-size",
        "10", "--color", "grayscale", "--validation-size", "4", "--batch-size", "4");

    assertEquals(0, r.status(), r.err());
    assertTrue(r.stdout().contains("test accuracy"), r.stdout());
  }

  @Test
  void train_cifar10Files_trainsAndReportsTestAccuracy() throws IOException {
    for (String name : SplitOptions.CIFAR_10_TRAIN) {
      cifarFile(name, 4);
    }
    cifarFile(SplitOptions.CIFAR_10_TEST, 5);

    Run r = run("train", "--data-format", "cifar", "--data", dir.toString(),
        "--validation-size", "5", "--batch-size", "5");

    assertEquals(0, r.status(), r.err());
    assertTrue(r.stdout().contains("test accuracy"), r.stdout());
  }

  @Test
  void train_emptyClassFolder_exits1NamingTheFolder() throws IOException {
    images("train", "dark", 4);
    Files.createDirectories(dir.resolve("train").resolve("empty"));
    images("test", "dark", 2);

    Run r = run("train", "--data-format", "folder", "--data", dir.toString(), "--image-size",
        "8");

    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains(dir.resolve("train").resolve("empty").toString()), r.err());
  }

  @Test
  void train_imagesSmallerThanTheNetworkAccepts_exits2WithTheMinimum() throws IOException {
    images("train", "dark", 4);
    images("test", "dark", 2);

    Run r = run("train", "--data-format", "folder", "--data", dir.toString(), "--image-size",
        "9", "--validation-size", "1");

    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("needs at least 10x10"), r.err());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "--data-format cifar; --data-format cifar needs --data DIR",
      "--image-size 16; apply to --data-format folder only",
      "--data-format folder --data . --image-size 0; --image-size: height must be in [1, 4096]",
      "--data-format tiff; --data-format"})
  void train_badDataOption_exits2WithMessage(String options, String message) {
    String[] args = ("train " + options).split(" ");

    Run r = run(args);

    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains(message), r.err());
  }
}
