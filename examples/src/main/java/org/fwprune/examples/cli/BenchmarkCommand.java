package org.fwprune.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fwprune.core.check.Require;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.data.Mnist;
import org.fwprune.examples.benchmark.Benchmark;
import org.fwprune.examples.benchmark.FrameworkComparison;
import org.fwprune.examples.benchmark.PrecisionComparison;
import org.fwprune.examples.reproduce.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the performance figures of the library as JSON lines, all measured in one process. */
@Command(name = "benchmark", resourceBundle = "org.fwprune.examples.cli.BenchmarkCommand",
    mixinStandardHelpOptions = true,
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

  @Option(names = "--batch-size", defaultValue = "128")
  int batchSize;

  @Option(names = "--step-repeats", defaultValue = "100")
  int stepRepeats;

  @Option(names = "--inter-op-threads", defaultValue = "0")
  int interOpThreads;

  @Option(names = "--threads-only")
  boolean threadsOnly;

  @Option(names = "--against-plain-loop")
  boolean againstPlainLoop;

  @Option(names = "--against-pytorch")
  boolean againstPytorch;

  @Option(names = "--precision-and-xla")
  boolean precisionAndXla;

  @Option(names = "--accuracy-steps", defaultValue = "430")
  int accuracySteps;

  /**
   * The network timed by --against-pytorch, --against-plain-loop, --precision-and-xla or
   * --threads-only.
   */
  @Mixin
  NetworkOption networkOption = new NetworkOption();

  @Option(names = "--warmup-steps", defaultValue = "50")
  int warmupSteps;

  @Option(names = "--chunks", defaultValue = "9")
  int chunks;

  @Option(names = "--chunk-steps", defaultValue = "48")
  int chunkSteps;

  @Option(names = "--batch-1-repeats", defaultValue = "400")
  int smallBatchRepeats;

  @Option(names = "--batch-1000-repeats", defaultValue = "30")
  int largeBatchRepeats;

  @Override
  public Integer call() throws Exception {
    Network network = networkOption.network();
    int threads = intraOp.threads();
    UsageErrors.check(spec, () -> ExecutionOptions.builder().threads(threads, interOpThreads));
    if (batchSize < 1 || batchSize > 65_536 || stepRepeats < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--batch-size must be in [1, 65536], --step-repeats >= 1");
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
