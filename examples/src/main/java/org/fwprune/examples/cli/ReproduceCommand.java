package org.fwprune.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.fwprune.examples.reproduce.ClusterShard;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.IncompatibleResultsException;
import org.fwprune.examples.reproduce.Method;
import org.fwprune.examples.reproduce.Network;
import org.fwprune.examples.reproduce.ReproduceConfig;
import org.fwprune.examples.reproduce.Reproduction;
import org.fwprune.examples.reproduce.ResultsFolder;
import org.fwprune.examples.reproduce.Shard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs the paper's experiment on MNIST and writes a results folder. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
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

  @Option(names = "--budgets", split = ",", paramLabel = "EPOCHS",
      description = "Pre-training budgets in epochs, comma-separated (default 1..10; --quick:"
          + " 1,2,5,10).")
  List<Integer> budgets;

  @Option(names = "--methods", split = ",", paramLabel = "METHOD",
      converter = MethodConverter.class, completionCandidates = MethodConverter.Names.class,
      description = "Methods, comma-separated, among: ${COMPLETION-CANDIDATES} (default all"
          + " but structured-fw and structured-l1).")
  List<Method> methods;

  @Option(names = "--seeds", paramLabel = "N",
      description = "Number of seeds; seeds 0..N-1 (default 3; --quick: 1).")
  Integer seeds;

  @Option(names = "--target-sparsity", paramLabel = "FRACTION",
      description = "Fraction of zeros over the conv and dense kernels, in [0, 1) (default 0.9).")
  Double targetSparsity;

  @Option(names = "--fine-tune-steps", paramLabel = "N",
      description = "Minibatch gradients every method gets after its checkpoint; Frank-Wolfe"
          + " steps count (default 430: one epoch of 55,000 at batch 128).")
  Long fineTuneSteps;

  @Option(names = "--pruning-fraction", paramLabel = "FRACTION",
      description = "Share of the budget over which gradual magnitude and the Frank-Wolfe"
          + " pruners raise the sparsity to the target, in [0, 1] (default 0.6).")
  Double pruningFraction;

  @Option(names = "--lr-grid", split = ",", paramLabel = "LR",
      description = "Fine-tune learning rates tried per method (default 0.01,0.03,0.1,0.3;"
          + " --quick: 0.01,0.1).")
  List<Double> lrGrid;

  @Option(names = "--tune-budget", paramLabel = "EPOCHS",
      description = "Checkpoint of seed 0 on which learning rates are chosen (default 2).")
  Integer tuneBudget;

  @Option(names = "--batch-size", paramLabel = "N",
      description = "Minibatch size of pre-training and fine-tuning (default 128).")
  Integer batchSize;

  @Mixin
  DataOptions data = new DataOptions();

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
      description = "Results folder (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--network", paramLabel = "NAME", defaultValue = "paper",
      converter = NetworkConverter.class,
      description = "Network: paper (the paper's CNN) or resnet20 (default ${DEFAULT-VALUE}).")
  Network network;

  @Option(names = "--pretrain-lr", paramLabel = "LR",
      description = "Learning rate of the dense pre-training (default 0.05).")
  Double pretrainLr;

  @Option(names = "--pretrain-momentum", paramLabel = "M",
      description = "Momentum of the dense pre-training, in [0, 1); 0 = plain SGD (default).")
  Double pretrainMomentum;

  @Option(names = "--bn-recalibration", paramLabel = "BATCHES",
      description = "After each method's budget, re-estimate the BatchNorm moving statistics"
          + " over BATCHES training minibatches, no weight change; for every method that"
          + " trains, in [0, 100000]; needs a network with BatchNorm (default 0: none).")
  Integer bnRecalibration;

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  /** Decays every method's fine-tune rate over its budget (not the pre-training's). */
  @Mixin
  LearningRateDecayOptions lrDecay = new LearningRateDecayOptions();

  @Option(names = "--quick",
      description = "Budgets 1,2,5,10, one seed, lr grid 0.01,0.1 (options given explicitly"
          + " still apply).")
  boolean quick;

  @Option(names = "--shard", paramLabel = "K/N", converter = ShardConverter.class,
      description = "Run only the cells whose index modulo N is K-1; combine the folders with"
          + " 'fwprune merge'. Without it, a SLURM job array (--array=0-(N-1)) or a Kubernetes"
          + " Indexed Job sets K-1 from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX (see"
          + " docs/cluster.md).")
  Shard shard;

  @Option(names = "--shard-count", paramLabel = "N",
      description = "Number of shards when the index comes from the environment"
          + " (JOB_COMPLETION_INDEX, or SLURM_ARRAY_TASK_ID when re-running some tasks of an"
          + " array); default: $FWPRUNE_SHARD_COUNT, then SLURM_ARRAY_TASK_COUNT.")
  Integer shardCount;

  /** Where the shard index and count are read from when --shard is not given. */
  Map<String, String> environment = System.getenv();

  @Option(names = "--resume",
      description = "Skip the cells already in --out/results.csv (the folder's settings must"
          + " match).")
  boolean resume;

  @Override
  public Integer call() throws Exception {
    Optional<ClusterShard.Assignment> assigned = clusterShard();
    ReproduceConfig config = config(assigned.map(ClusterShard.Assignment::shard));
    assigned.ifPresent(a -> System.out.printf("shard %s (%s)%n", a.shard(), a.source()));
    int threadCount = threads.threads();
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is not a folder");
    }
    ExperimentData experiment = ExperimentData.mnist(data.load());
    try (ReproduceProgress progress = new ReproduceProgress(System.out)) {
      Reproduction.Outcome outcome = new Reproduction(config, experiment,
          network.factory(threadCount), progress).run(out);
      System.out.printf("%d cells run, %d skipped; results in %s%n%n", outcome.cellsRun(),
          outcome.cellsSkipped(), out);
      System.out.print(Files.readString(out.resolve(ResultsFolder.SUMMARY_FILE)));
    } catch (IncompatibleResultsException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return 0;
  }

  /** The shard that a cluster scheduler's environment assigns when --shard is not given. */
  Optional<ClusterShard.Assignment> clusterShard() {
    if (shard != null) {
      if (shardCount != null) {
        throw new ParameterException(spec.commandLine(),
            "--shard " + shard + " already gives the count; drop --shard-count");
      }
      return Optional.empty();
    }
    return UsageErrors.check(spec, () -> ClusterShard.fromEnvironment(shardCount, environment));
  }

  /**
   * The configuration of the options, with {@code clusterShard} when --shard is not given;
   * out-of-range values are usage errors.
   */
  ReproduceConfig config(Optional<Shard> clusterShard) {
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
      (shard != null ? Optional.of(shard) : clusterShard).ifPresent(b::shard);
      ifGiven(pretrainLr, b::pretrainLearningRate);
      ifGiven(pretrainMomentum, b::pretrainMomentum);
      if (bnRecalibration != null) {
        checkArgument(bnRecalibration == 0 || network.architecture().hasBatchNorm(),
            "--bn-recalibration needs a network with BatchNorm; the paper network has none");
        b.batchNormRecalibration(bnRecalibration);
      }
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
