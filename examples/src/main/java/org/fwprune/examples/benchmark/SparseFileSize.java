package org.fwprune.examples.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.examples.reproduce.Network;
import org.fwprune.pruning.MagnitudePruner;

/**
 * What unstructured pruning buys a user on disk today: the bytes of a model saved dense and 90%
 * sparse (one-shot magnitude pruning, no fine-tune), as the model folder ({@code Cnn.save}), the
 * Keras file ({@code saveKeras}) and the ONNX file ({@code exportOnnx}), each also zipped
 * (deflate, default level). The library stores zeros as float32 zeros, so only compression turns
 * sparsity into fewer bytes.
 *
 * <pre>
 * java -cp examples/target/fwprune.jar org.fwprune.examples.benchmark.SparseFileSize resnet20 DIR
 * </pre>
 */
public final class SparseFileSize {

  /** One saved form of one model: its bytes, and its bytes zipped. */
  public record Row(String network, String model, String form, long bytes, long zippedBytes) {
    @Override
    public String toString() {
      return String.format("%-9s %-10s %-12s %,12d bytes  zipped %,12d bytes", network, model,
          form, bytes, zippedBytes);
    }
  }

  private SparseFileSize() {}

  /** Saves {@code network} (seed 42) dense and 90% sparse under {@code dir}; one row per form. */
  public static List<Row> run(Network network, Path dir) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (Cnn model = Cnn.of(network.architecture().withSeed(42))) {
      rows.addAll(save(network, "dense", model, dir.resolve("dense")));
      Dataset none = Dataset.of(new float[model.architecture().height()
          * model.architecture().width() * model.architecture().channels()], new int[1],
          model.architecture().height(), model.architecture().width(),
          model.architecture().channels(), model.architecture().numClasses());
      // One-shot, no steps: the data is never read; BatchNorm statistics stay as they are.
      MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT).targetSparsity(0.9).steps(0)
          .batchNormRecalibration(0).build().prune(model, none);
      rows.addAll(save(network, "90% sparse", model, dir.resolve("sparse")));
    }
    return rows;
  }

  private static List<Row> save(Network network, String name, Cnn model, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    Path folder = dir.resolve("model");
    Path keras = dir.resolve("model.keras");
    Path onnx = dir.resolve("model.onnx");
    model.save(folder);
    model.saveKeras(keras);
    model.exportOnnx(onnx);
    return List.of(
        new Row(network.id(), name, "folder", size(folder), zipped(folder, dir.resolve("f.zip"))),
        new Row(network.id(), name, ".keras", size(keras), zipped(keras, dir.resolve("k.zip"))),
        new Row(network.id(), name, ".onnx", size(onnx), zipped(onnx, dir.resolve("o.zip"))));
  }

  private static long size(Path path) throws IOException {
    try (Stream<Path> files = Files.walk(path)) {
      long total = 0;
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(f);
      }
      return total;
    }
  }

  /** Zips every file under {@code path} into {@code zip}; returns its size. */
  private static long zipped(Path path, Path zip) throws IOException {
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out);
        Stream<Path> files = Files.walk(path)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        z.putNextEntry(new ZipEntry(path.relativize(f).toString().isEmpty()
            ? f.getFileName().toString() : path.relativize(f).toString()));
        Files.copy(f, z);
        z.closeEntry();
      }
    }
    return Files.size(zip);
  }

  /** Arguments: network (paper or resnet20), a folder to write the files into. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: SparseFileSize paper|resnet20 DIR");
      System.exit(2);
    }
    Network network = args[0].equals("paper") ? Network.PAPER : Network.RESNET20;
    run(network, Path.of(args[1])).forEach(System.out::println);
  }
}
