package org.fwprune.examples.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.MedianTimer;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.serving.Predictor;
import org.fwprune.examples.reproduce.Network;

/**
 * Batch-1 latency of one network, the way a JVM service calls a model: {@code Cnn.predict} on a
 * one-image data set, the TensorFlow session predictor ({@code Cnn.tensorFlowPredictor()}) and
 * {@code Cnn.predictor()} (ONNX Runtime when fwprune-onnxruntime is on the class path, as in this
 * module), timed in alternation in one process (MedianTimer: a slow spell of the shared machine
 * hits all three alike), each on its own image each call. Prints one line per engine.
 *
 * <pre>
 * java -cp examples/target/fwprune.jar org.fwprune.examples.benchmark.ServingLatency resnet20 2 200 2000
 * </pre>
 * (network, intra-op threads with 0 for every core, warm-up rounds, timed rounds, and
 * optionally {@code xla}, or {@code alone [FILE]}: {@code Cnn.predictor()} timed by itself, no
 * TensorFlow session spinning its threads between its calls, and the model exported to the ONNX
 * {@code FILE} for bench/serving_peers.py to time in Python's ONNX Runtime.)
 */
public final class ServingLatency {

  /** One engine's median milliseconds per image at batch 1. */
  public record Row(String network, String engine, int intraOpThreads, double msPerImage) {
    @Override
    public String toString() {
      return String.format("%-9s %-20s intra-op %d  %.3f ms/image", network, engine,
          intraOpThreads, msPerImage);
    }
  }

  private ServingLatency() {}

  /** Times the three ways for {@code network} (seed 42, untrained: latency does not depend on weights). */
  public static List<Row> run(Network network, int intraOpThreads, int warmup, int repeats) {
    return run(network, intraOpThreads, false, warmup, repeats);
  }

  /** As {@link #run(Network, int, int, int)}, the TensorFlow sessions compiled with XLA or not. */
  public static List<Row> run(Network network, int intraOpThreads, boolean xla, int warmup,
      int repeats) {
    Require.inClosed("intra-op threads", intraOpThreads, 0, ExecutionOptions.MAX_THREADS);
    ExecutionOptions options = ExecutionOptions.builder().threads(intraOpThreads, 1).xla(xla)
        .build();
    Random random = new Random(1);
    try (Cnn model = Cnn.of(network.architecture().withSeed(42), options);
        Predictor session = model.tensorFlowPredictor();
        Predictor fastest = model.predictor()) {
      int size = session.input().size();
      float[][] images = new float[64][size];
      for (float[] image : images) {
        for (int i = 0; i < size; i++) {
          image[i] = random.nextFloat();
        }
      }
      List<Dataset> single = new ArrayList<>();
      for (float[] image : images) {
        single.add(Dataset.of(image, new int[] {0}, session.input().height(),
            session.input().width(), session.input().channels(), model.architecture()
                .numClasses()));
      }
      int[] next = new int[3];
      List<Double> seconds = MedianTimer.alternate(List.of(
          () -> model.predict(single.get(next[0]++ % single.size())),
          () -> session.predict(images[next[1]++ % images.length]),
          () -> fastest.predict(images[next[2]++ % images.length])), warmup, repeats);
      return List.of(
          new Row(network.id(), "Cnn.predict", intraOpThreads, 1000 * seconds.get(0)),
          new Row(network.id(), session.engine(), intraOpThreads, 1000 * seconds.get(1)),
          new Row(network.id(), fastest.engine() + " (predictor())", intraOpThreads,
              1000 * seconds.get(2)));
    }
  }

  /**
   * {@code Cnn.predictor()} of {@code network} (seed 42, untrained) timed alone; the model is also
   * exported to {@code onnx} when given.
   */
  public static Row alone(Network network, int intraOpThreads, int warmup, int repeats,
      Optional<Path> onnx) throws IOException {
    Require.inClosed("intra-op threads", intraOpThreads, 0, ExecutionOptions.MAX_THREADS);
    Random random = new Random(1);
    try (Cnn model = Cnn.of(network.architecture().withSeed(42),
            ExecutionOptions.builder().threads(intraOpThreads, 1).build());
        Predictor predictor = model.predictor()) {
      if (onnx.isPresent()) {
        model.exportOnnx(onnx.get());
      }
      float[][] images = new float[64][predictor.input().size()];
      for (float[] image : images) {
        for (int i = 0; i < image.length; i++) {
          image[i] = random.nextFloat();
        }
      }
      int[] next = new int[1];
      double seconds = MedianTimer.alternate(List.of(
          () -> predictor.predict(images[next[0]++ % images.length])), warmup, repeats).get(0);
      return new Row(network.id(), predictor.engine() + " (alone)", intraOpThreads,
          1000 * seconds);
    }
  }

  /**
   * Arguments: network (paper or resnet20), intra-op threads, warm-up rounds, timed rounds, and
   * optionally {@code xla} to compile the TensorFlow sessions with XLA, or {@code alone [FILE]}.
   */
  public static void main(String[] args) throws IOException {
    boolean xla = args.length == 5 && args[4].equals("xla");
    boolean alone = args.length >= 5 && args[4].equals("alone");
    if (args.length < 4 || args.length > 6 || (args.length > 4 && !xla && !alone)
        || (xla && args.length == 6)) {
      System.err.println("usage: ServingLatency paper|resnet20 INTRA_OP_THREADS WARMUP REPEATS"
          + " [xla | alone [ONNX_FILE]]");
      System.exit(2);
    }
    Network network = args[0].equals("paper") ? Network.PAPER : Network.RESNET20;
    int threads = Integer.parseInt(args[1]);
    int warmup = Integer.parseInt(args[2]);
    int repeats = Integer.parseInt(args[3]);
    if (alone) {
      System.out.println(alone(network, threads, warmup, repeats,
          args.length == 6 ? Optional.of(Path.of(args[5])) : Optional.empty()));
      return;
    }
    for (Row row : run(network, threads, xla, warmup, repeats)) {
      System.out.println(row);
    }
  }
}
