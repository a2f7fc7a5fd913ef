package org.fwprune.examples.cli;

import java.util.concurrent.Callable;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.benchmark.ProcessMemory;
import org.fwprune.examples.engine.EngineProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures resident memory growth over a long training run of the --network (the paper's CNN by
 * default): a warm-up, then N steps, reading VmRSS (ProcessMemory) before and after. Prints one
 * JSON line.
 */
@Command(name = "memory", resourceBundle = "org.fwprune.examples.cli.MemoryCommand",
    mixinStandardHelpOptions = true,
    description = "Train --network on MNIST for many steps and print resident memory growth.")
final class MemoryCommand implements Callable<Integer> {

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  ModelOptions model = new ModelOptions();

  @Option(names = "--warmup", defaultValue = "300")
  long warmup;

  @Option(names = "--steps", defaultValue = "3000")
  long steps;

  @Option(names = "--fits", defaultValue = "0")
  int fits;

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Override
  public Integer call() throws Exception {
    int threadCount = threads.threads();
    Dataset train = data.load().train();
    if (fits > 0) {
      return refits(train, threadCount);
    }
    try (Cnn cnn = model.createFor(train, threadCount)) {
      Training.Builder t = Training.builder().optimizer(Optimizers.sgd(0.05)).seed(model.seed);
      cnn.fit(train, t.steps(warmup).build());
      System.gc();
      long before = ProcessMemory.residentKb();
      long start = System.nanoTime();
      cnn.fit(train, t.steps(steps).build());
      double seconds = (System.nanoTime() - start) / 1e9;
      System.gc();
      long after = ProcessMemory.residentKb();
      System.out.printf("{\"warmup_steps\": %d, \"steps\": %d, \"rss_before_mb\": %.1f,"
          + " \"rss_after_mb\": %.1f, \"rss_growth_mb\": %.1f, \"seconds\": %.1f}%n",
          warmup, steps, before / 1024.0, after / 1024.0, (after - before) / 1024.0, seconds);
    }
    return 0;
  }

  /** Many fits with distinct learning rates: neither the graph nor the memory may keep growing. */
  private int refits(Dataset train, int threadCount) throws java.io.IOException {
    try (Cnn cnn = model.createFor(train, threadCount)) {
      int every = Math.max(1, fits / 10);
      for (int i = 1; i <= fits; i++) {
        // Learning rates 0.001, 0.002, ...: each fit a setting not seen before.
        cnn.fit(train, Training.builder().optimizer(Optimizers.momentum(0.001 * i, 0.9))
            .steps(steps).seed(model.seed).build());
        if (i == 1 || i % every == 0 || i == fits) {
          System.gc();
          System.out.printf("{\"fit\": %d, \"learning_rate\": %.3f, \"graph_ops\": %d,"
              + " \"rss_mb\": %.1f}%n", i, 0.001 * i, EngineProbe.graphOpCount(cnn),
              ProcessMemory.residentKb() / 1024.0);
        }
      }
    }
    return 0;
  }
}
