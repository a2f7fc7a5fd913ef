package org.fwprune.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fwprune.core.data.Mnist;
import org.fwprune.examples.benchmark.Benchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the performance figures of the library as JSON lines, all measured in one process. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = "Measure training throughput (library vs a plain TF Java loop), step costs,"
        + " pruning run times, inference times of dense, pruned and exported models; parameters,"
        + " FLOPs and inference times (batch 1 and 1000) of dense, unstructured- and"
        + " structure-pruned models; and peak memory. Prints one JSON object per line.")
final class BenchmarkCommand implements Callable<Integer> {

  @Mixin
  DataOptions data = new DataOptions();

  @Option(names = "--threads", defaultValue = "0",
      description = "TensorFlow intra-op threads; 0 = every core (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--batch-size", defaultValue = "128",
      description = "Training batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--step-repeats", defaultValue = "100",
      description = "Timed repetitions of single steps (default ${DEFAULT-VALUE}).")
  int stepRepeats;

  @Option(names = "--inter-op-threads", defaultValue = "0",
      description = "TensorFlow inter-op threads, with --threads-only; 0 = TensorFlow's choice"
          + " (default ${DEFAULT-VALUE}).")
  int interOpThreads;

  @Option(names = "--threads-only",
      description = "Only time one thread setting (--threads, --inter-op-threads): a training"
          + " step and predict at batch 1 and 1000, one line. TensorFlow sizes its thread pools"
          + " once per process, so compare settings in separate runs.")
  boolean threadsOnly;

  @Option(names = "--network", paramLabel = "NAME",
      description = "Only time training (fit against a plain TF Java loop on the same network)"
          + " and inference of this network: paper or resnet20. Without it, the full benchmark"
          + " of the paper's CNN runs.")
  String network;

  @Option(names = "--chunk-steps", defaultValue = "20",
      description = "With --network: training steps per timed chunk, six chunks per loop"
          + " (default ${DEFAULT-VALUE}).")
  int chunkSteps;

  @Override
  public Integer call() throws Exception {
    if (threads < 0 || threads > 1024 || interOpThreads < 0 || interOpThreads > 1024
        || batchSize < 1 || batchSize > 65_536 || stepRepeats < 1) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--threads and --inter-op-threads must be in [0, 1024], --batch-size in [1, 65536],"
              + " --step-repeats >= 1");
    }
    Mnist mnist = data.load();
    ObjectMapper json = new ObjectMapper();
    Path work = Files.createTempDirectory("fwprune-benchmark");
    try {
      Benchmark.Config config = new Benchmark.Config(mnist.train().subset(0, 55_000),
          mnist.test(), batchSize, threads, stepRepeats, work);
      if (network != null) {
        org.fwprune.examples.reproduce.Network net;
        try {
          net = org.fwprune.examples.reproduce.Network.of(network);
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
              e.getMessage());
        }
        if (chunkSteps < 1 || chunkSteps > 10_000) {
          throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
              "--chunk-steps must be in [1, 10000], got " + chunkSteps);
        }
        Benchmark.runNetwork(config, net, chunkSteps, line -> print(json, line));
      } else if (threadsOnly) {
        Benchmark.threadTiming(config, interOpThreads, line -> print(json, line));
      } else {
        Benchmark.run(config, line -> print(json, line));
      }
    } finally {
      com.google.common.io.MoreFiles.deleteRecursively(work,
          com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE);
    }
    return 0;
  }

  private static void print(ObjectMapper json, Object line) {
    try {
      System.out.println(json.writeValueAsString(line));
      System.out.flush();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
