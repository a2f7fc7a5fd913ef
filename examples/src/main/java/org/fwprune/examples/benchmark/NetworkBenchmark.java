package org.fwprune.examples.benchmark;

import static org.fwprune.examples.benchmark.Benchmark.ordered;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.InferenceTimer;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.engine.PlainGraphLoop;
import org.fwprune.examples.reproduce.Network;

/**
 * Training throughput and inference time of one network from {@link Network}, for networks
 * larger than the paper's: {@code fit} against {@link PlainGraphLoop} on the same architecture
 * (SGD with momentum 0.9, lr 0.05), the two taking turns chunk by chunk, and {@code predict} at
 * batch 1 and 1000. The lines have the same keys as the paper benchmark's where they mean the
 * same, plus {@code network}.
 */
final class NetworkBenchmark {

  /** Timed chunks per loop; each loop goes first in half of them. */
  static final int CHUNKS = 6;

  private NetworkBenchmark() {}

  static void run(Benchmark.Config c, Network network, int stepsPerChunk,
      Consumer<Map<String, Object>> out) {
    double[] seconds = new double[2];
    try (Cnn model = network.factory(c.threads()).create(42);
        PlainGraphLoop plain = new PlainGraphLoop(network.architecture(), 0.05, 0.9,
            c.threads())) {
      out.accept(ordered("kind", "network", "network", network.id(),
          "parameters", model.parameterCount()));
      Training.Builder fit = Training.builder().optimizer(Optimizers.momentum(0.05, 0.9))
          .batchSize(c.batchSize());
      List<Benchmark.Chunk> loops = List.of(
          (n, seed) -> model.fit(c.train(), fit.steps(n).seed(seed).build()).seconds(),
          (n, seed) -> plain.train(c.train(), c.batchSize(), n, seed));
      loops.forEach(loop -> loop.seconds(Math.max(5, stepsPerChunk / 2), 1));
      for (int i = 0; i < CHUNKS; i++) {
        for (int j = 0; j < loops.size(); j++) {
          int k = (i + j) % loops.size();
          seconds[k] += loops.get(k).seconds(stepsPerChunk, 2 + i);
        }
      }
      double images = (double) stepsPerChunk * CHUNKS * c.batchSize();
      out.accept(ordered("kind", "training_throughput", "network", network.id(),
          "optimizer", "SGD momentum 0.9, lr 0.05", "batch_size", c.batchSize(),
          "timed_steps_each", stepsPerChunk * CHUNKS,
          "library_images_per_s", Benchmark.round(images / seconds[0]),
          "plain_tf_java_images_per_s", Benchmark.round(images / seconds[1]),
          "ratio_library_to_plain_tf_java", Benchmark.round3(seconds[1] / seconds[0])));
      Dataset test = c.test();
      int large = Math.min(1000, test.size());
      InferenceTimer.Timing one = InferenceTimer.measure(model, test, 1, 50, 300);
      InferenceTimer.Timing big = InferenceTimer.measure(model, test, large, 3, 15);
      out.accept(ordered("kind", "inference", "network", network.id(),
          "ms_per_example_batch_1", Benchmark.round5(one.msPerExample()),
          "ms_per_example_batch_" + large, Benchmark.round5(big.msPerExample())));
    }
  }
}
