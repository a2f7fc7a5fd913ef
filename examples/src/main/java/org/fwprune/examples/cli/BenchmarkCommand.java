package org.fwprune.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Mnist;
import org.fwprune.examples.benchmark.Benchmark;
import org.fwprune.examples.benchmark.FrameworkComparison;
import org.fwprune.examples.benchmark.PrecisionComparison;
import org.fwprune.examples.reproduce.Network;
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

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  ThreadsOption intraOp = new ThreadsOption();

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

  @Option(names = "--against-plain-loop",
      description = "Only time, for --network, training with fit against a plain TF Java loop on"
          + " the same network (six chunks of --chunk-steps steps each, taking turns) and"
          + " predict at batch 1 and 1000.")
  boolean againstPlainLoop;

  @Option(names = "--against-pytorch",
      description = "Only time what bench/compare-pytorch.sh compares with PyTorch, for"
          + " --network: training images/s with SGD and momentum 0.9 at lr 0.05 (median of"
          + " --chunks chunks of --chunk-steps steps after --warmup-steps), predict ms/example at"
          + " batch 1 and 1000; one line of kind 'comparable'.")
  boolean againstPytorch;

  @Option(names = "--precision-and-xla",
      description = "Only time, for --network, float32, XLA and bfloat16 side by side: training"
          + " images/s (median of --chunks chunks of --chunk-steps steps after --warmup-steps, the"
          + " three taking turns) and predict ms/example at batch 1 and 1000; then test accuracy"
          + " after --accuracy-steps steps of 128 of each.")
  boolean precisionAndXla;

  @Option(names = "--accuracy-steps", defaultValue = "430",
      description = "Training steps of 128 of the accuracy run of --precision-and-xla (430 is"
          + " one epoch of train[0,55000)), 0 to skip it (default ${DEFAULT-VALUE}).")
  int accuracySteps;

  @Option(names = "--network", defaultValue = "paper", converter = NetworkConverter.class,
      completionCandidates = NetworkConverter.Names.class,
      description = "Network timed by --against-pytorch, --against-plain-loop,"
          + " --precision-and-xla or --threads-only, among:"
          + " ${COMPLETION-CANDIDATES}"
          + " (default ${DEFAULT-VALUE}).")
  Network network;

  @Option(names = "--warmup-steps", defaultValue = "50",
      description = "Untimed training steps before the chunks of --against-pytorch (default"
          + " ${DEFAULT-VALUE}).")
  int warmupSteps;

  @Option(names = "--chunks", defaultValue = "9",
      description = "Timed chunks of --against-pytorch; the median is reported (default"
          + " ${DEFAULT-VALUE}).")
  int chunks;

  @Option(names = "--chunk-steps", defaultValue = "48",
      description = "Training steps per chunk of --against-pytorch (default ${DEFAULT-VALUE}).")
  int chunkSteps;

  @Option(names = "--batch-1-repeats", defaultValue = "400",
      description = "Timed predict calls at batch 1 in --against-pytorch, after a quarter as"
          + " many untimed (default ${DEFAULT-VALUE}).")
  int smallBatchRepeats;

  @Option(names = "--batch-1000-repeats", defaultValue = "30",
      description = "Timed predict calls at batch 1000 in --against-pytorch, after a sixth as"
          + " many untimed (default ${DEFAULT-VALUE}).")
  int largeBatchRepeats;

  @Override
  public Integer call() throws Exception {
    int threads = intraOp.threads();
    if (interOpThreads < 0 || interOpThreads > ThreadsOption.MAX_THREADS || batchSize < 1
        || batchSize > 65_536 || stepRepeats < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--inter-op-threads must be in [0, 1024], --batch-size in [1, 65536],"
              + " --step-repeats >= 1");
    }
    if (againstPytorch && threadsOnly) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--against-pytorch and --threads-only are separate modes: give one");
    }
    if (precisionAndXla && (againstPytorch || againstPlainLoop || threadsOnly)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--precision-and-xla is a separate mode: give it alone");
    }
    UsageErrors.check(spec,
        () -> Require.inClosed("--accuracy-steps", accuracySteps, 0, 100_000));
    if (network != Network.PAPER && !againstPytorch && !againstPlainLoop && !precisionAndXla
        && !threadsOnly) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--network " + network.id() + " is only timed with --against-pytorch,"
              + " --against-plain-loop, --precision-and-xla or --threads-only");
    }
    settings();
    Mnist mnist = data.load();
    ObjectMapper json = new ObjectMapper();
    Path work = Files.createTempDirectory("fwprune-benchmark");
    try {
      Benchmark.Config config = new Benchmark.Config(mnist.train().subset(0, 55_000),
          mnist.test(), batchSize, threads, stepRepeats, work);
      if (againstPytorch && againstPlainLoop) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "--against-pytorch and --against-plain-loop are separate runs; give one");
      } else if (againstPlainLoop) {
        if (chunkSteps < 1 || chunkSteps > 10_000) {
          throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
              "--chunk-steps must be in [1, 10000], got " + chunkSteps);
        }
        Benchmark.runNetwork(config, network, chunkSteps, line -> print(json, line));
      } else if (precisionAndXla) {
        PrecisionComparison.run(network, config.train(), config.test(), threads, settings(),
            accuracySteps, line -> print(json, line));
      } else if (againstPytorch) {
        print(json, FrameworkComparison.run(network, config.train(), config.test(), threads,
            settings()));
      } else if (threadsOnly) {
        Benchmark.threadTiming(config, network, interOpThreads, line -> print(json, line));
      } else {
        Benchmark.run(config, line -> print(json, line));
      }
    } finally {
      com.google.common.io.MoreFiles.deleteRecursively(work,
          com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE);
    }
    return 0;
  }

  /** The training settings of --against-pytorch; bad values are usage errors. */
  private FrameworkComparison.Settings settings() {
    return UsageErrors.check(spec, () -> new FrameworkComparison.Settings(batchSize,
        warmupSteps, chunks, chunkSteps, 0.05, 0.9, smallBatchRepeats, largeBatchRepeats));
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
