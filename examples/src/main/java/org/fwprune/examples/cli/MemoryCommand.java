package org.fwprune.examples.cli;

import java.util.concurrent.Callable;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.benchmark.ProcessMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures resident memory growth over a long training run: a warm-up, then N steps, reading
 * VmRSS (ProcessMemory) before and after. Prints one JSON line.
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
    description = "Train the paper's CNN for many steps and print the growth of resident memory.")
final class MemoryCommand implements Callable<Integer> {

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  ModelOptions model = new ModelOptions();

  @Option(names = "--warmup", defaultValue = "300", description = "Warm-up steps (default ${DEFAULT-VALUE}).")
  long warmup;

  @Option(names = "--steps", defaultValue = "3000", description = "Measured steps (default ${DEFAULT-VALUE}).")
  long steps;

  @Override
  public Integer call() throws Exception {
    Dataset train = data.load().train();
    try (Cnn cnn = model.paperCnn()) {
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
}
