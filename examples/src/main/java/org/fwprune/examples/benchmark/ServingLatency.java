package org.fwprune.examples.benchmark;

import java.util.ArrayList;
import java.util.List;
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
 * optionally {@code xla}).
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
   * Arguments: network (paper or resnet20), intra-op threads, warm-up rounds, timed rounds, and
   * optionally {@code xla} to compile the TensorFlow sessions with XLA.
   */
  public static void main(String[] args) {
    if (args.length != 4 && !(args.length == 5 && args[4].equals("xla"))) {
      System.err.println(
          "usage: ServingLatency paper|resnet20 INTRA_OP_THREADS WARMUP REPEATS [xla]");
      System.exit(2);
    }
    Network network = args[0].equals("paper") ? Network.PAPER : Network.RESNET20;
    for (Row row : run(network, Integer.parseInt(args[1]), args.length == 5,
        Integer.parseInt(args[2]), Integer.parseInt(args[3]))) {
      System.out.println(row);
    }
  }
}
