package org.fwprune.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.IncompatibleResultsException;
import org.fwprune.examples.reproduce.Method;
import org.fwprune.examples.reproduce.Network;
import org.fwprune.examples.reproduce.ReproduceConfig;
import org.fwprune.examples.reproduce.Reproduction;
import org.fwprune.examples.reproduce.ResultsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs the paper's experiment on MNIST and writes a results folder. */
@Command(name = "reproduce", resourceBundle = "org.fwprune.examples.cli.ReproduceCommand",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Reproduce the paper's experiment on MNIST: pre-train the paper's CNN with plain SGD"
            + " (lr 0.05, batch 128) on train[0,55000), keep a dense checkpoint after each budget's"
            + " epoch, apply every method to a copy of each checkpoint with the same budget of"
            + " minibatch gradients, and report test accuracy, loss, non-zero fraction and"
            + " inference time.",
        "Each method's fine-tune learning rate (SGD with momentum 0.9) is chosen from --lr-grid"
            + " on the validation split train[55000,60000) at the --tune-budget checkpoint of seed"
            + " 0.",
        "The structured methods structured-fw (greedy forward selection of whole filters) and"
            + " structured-l1 (L1-norm filters, as many per layer as structured-fw keeps) build"
            + " smaller, faster networks; they run only when named in --methods.",
        "Writes to --out: results.csv (a row per finished cell), run.json, results.json,"
            + " summary.md and PNG charts, among them accuracy against inference speed-up."})
final class ReproduceCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--budgets", split = ",", paramLabel = "EPOCHS")
  List<Integer> budgets;

  @Option(names = "--methods", split = ",", paramLabel = "METHOD",
      converter = MethodConverter.class, completionCandidates = MethodConverter.Names.class)
  List<Method> methods;

  @Option(names = "--seeds", paramLabel = "N")
  Integer seeds;

  @Option(names = "--target-sparsity", paramLabel = "FRACTION")
  Double targetSparsity;

  @Option(names = "--fine-tune-steps", paramLabel = "N")
  Long fineTuneSteps;

  @Option(names = "--pruning-fraction", paramLabel = "FRACTION")
  Double pruningFraction;

  @Option(names = "--lr-grid", split = ",", paramLabel = "LR")
  List<Double> lrGrid;

  @Option(names = "--tune-budget", paramLabel = "EPOCHS")
  Integer tuneBudget;

  @Option(names = "--batch-size", paramLabel = "N")
  Integer batchSize;

  @Mixin
  DataOptions data = new DataOptions();

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "results")
  Path out;

  @Mixin
  NetworkOption network = new NetworkOption();

  @Option(names = "--pretrain-lr", paramLabel = "LR")
  Double pretrainLr;

  @Option(names = "--pretrain-momentum", paramLabel = "M")
  Double pretrainMomentum;

  @Mixin
  BatchNormRecalibrationOption bnRecalibration = new BatchNormRecalibrationOption();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  /** Decays every method's fine-tune rate over its budget (not the pre-training's). */
  @Mixin
  LearningRateDecayOptions lrDecay = new LearningRateDecayOptions();

  @Option(names = "--quick")
  boolean quick;

  /** Whole cells are the units of work: any two cells may run on different machines. */
  @Mixin
  ShardOptions shard = new ShardOptions();

  @Option(names = "--resume")
  boolean resume;

  @Override
  public Integer call() throws Exception {
    ReproduceConfig config = config();
    int threadCount = threads.threads();
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is not a folder");
    }
    ExperimentData experiment = ExperimentData.mnist(data.load());
    try (ReproduceProgress progress = new ReproduceProgress(System.out)) {
      Reproduction.Outcome outcome = new Reproduction(config, experiment,
          network.network().factory(threadCount), progress).run(out);
      System.out.printf("%d cells run, %d skipped; results in %s%n%n", outcome.cellsRun(),
          outcome.cellsSkipped(), out);
      System.out.print(Files.readString(out.resolve(ResultsFolder.SUMMARY_FILE)));
    } catch (IncompatibleResultsException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return 0;
  }

  /** The configuration of the options; out-of-range values are usage errors. */
  ReproduceConfig config() {
    try {
      ReproduceConfig.Builder b = ReproduceConfig.builder();
      if (quick) {
        b.quick();
      }
      ifGiven(budgets, b::budgets);
      ifGiven(methods, b::methods);
      ifGiven(seeds, b::seeds);
      ifGiven(targetSparsity, b::targetSparsity);
      ifGiven(pruningFraction, b::pruningFraction);
      ifGiven(fineTuneSteps, b::fineTuneSteps);
      ifGiven(lrGrid, b::lrGrid);
      ifGiven(tuneBudget, b::tuneBudget);
      ifGiven(batchSize, b::batchSize);
      b.shard(shard.shard());
      ifGiven(pretrainLr, b::pretrainLearningRate);
      ifGiven(pretrainMomentum, b::pretrainMomentum);
      b.batchNormRecalibration(bnRecalibration.batches(network.network()));
      return b.fineTuneSchedule(lrDecay.schedule()).resume(resume).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Passes {@code value} to {@code setter} if the option was given; else the default stays. */
  private static <T> void ifGiven(T value, Consumer<? super T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
