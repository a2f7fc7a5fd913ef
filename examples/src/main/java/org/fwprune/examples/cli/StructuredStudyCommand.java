package org.fwprune.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.Network;
import org.fwprune.examples.reproduce.Shard;
import org.fwprune.examples.structured.StructuredStudy;
import org.fwprune.examples.structured.StudyMethod;
import org.fwprune.examples.structured.StudyRow;
import org.fwprune.examples.structured.StudySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The structured-pruning study of docs/structured.md: dense checkpoints, then every selection
 * method at each FLOPs target, GMP and dense trained on, with accuracy and measured speed-up.
 * Resumable; {@code --shard K/N} splits the seeds; {@code --summary} prints the table and draws
 * the charts of what the folder holds.
 */
@Command(name = "structured-study", mixinStandardHelpOptions = true,
    description = "Structured pruning of ResNet-20 on MNIST at equal FLOPs: greedy selection, L1"
        + " norms and BatchNorm scales against GMP 90%%, accuracy and speed-up (docs/structured.md).")
final class StructuredStudyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  DataOptions data = new DataOptions();

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "structured-study",
      description = "Folder of the checkpoints and the per-seed CSV files; a rerun resumes"
          + " (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--network", defaultValue = "resnet20",
      converter = BenchmarkCommand.NetworkConverter.class,
      completionCandidates = BenchmarkCommand.NetworkConverter.Names.class,
      description = "Network, among: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Network network;

  @Option(names = "--seeds", split = ",", defaultValue = "0,1,2",
      description = "Seeds (default ${DEFAULT-VALUE}).")
  List<Long> seeds;

  @Option(names = "--methods", split = ",",
      defaultValue = "dense,dense-trained-on,gmp-90,greedy,l1,bn-scale",
      description = "Rows (default ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(names = "--flops", split = ",", defaultValue = "0.5,0.25",
      description = "KeepRule.flops targets of the structured methods (default ${DEFAULT-VALUE}).")
  List<Double> flops;

  @Option(names = "--pretrain-epochs", defaultValue = "2",
      description = "Epochs of the dense checkpoint (default ${DEFAULT-VALUE}).")
  int pretrainEpochs;

  @Option(names = "--lr", defaultValue = "0.05",
      description = "SGD-momentum (0.9) learning rate of the checkpoint (default ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--fine-tune-lr", defaultValue = "0.01",
      description = "Learning rate of every method's extra epoch (default ${DEFAULT-VALUE}).")
  double fineTuneLr;

  @Option(names = "--candidates", defaultValue = "16",
      description = "Greedy selection: candidates per step (default ${DEFAULT-VALUE}).")
  int candidates;

  @Option(names = "--subsample", defaultValue = "64",
      description = "Greedy selection: minibatch per step (default ${DEFAULT-VALUE}).")
  int subsample;

  @Option(names = "--small-repeats", defaultValue = "500",
      description = "Timed batch-1 calls per model (default ${DEFAULT-VALUE}).")
  int smallRepeats;

  @Option(names = "--large-repeats", defaultValue = "20",
      description = "Timed batch-1000 calls per model (default ${DEFAULT-VALUE}).")
  int largeRepeats;

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Option(names = "--shard", paramLabel = "K/N", defaultValue = "1/1",
      converter = ShardConverter.class,
      description = "Run only the seeds at positions K-1 mod N (default ${DEFAULT-VALUE}).")
  Shard shard;

  @Option(names = "--summary",
      description = "Train nothing: print the table of --out's CSV files and draw the charts.")
  boolean summary;

  @Option(names = "--speed-only",
      description = "Train nothing: time the network with random weights against its L1-pruned"
          + " versions at each --flops target (speed alone, in minutes); writes nothing.")
  boolean speedOnly;

  @Override
  public Integer call() throws Exception {
    if (summary) {
      List<StudyRow> rows = StructuredStudy.readAll(out);
      System.out.print(StudySummary.markdown(rows));
      StudySummary.writeCharts(out, rows).forEach(f -> System.out.println("wrote " + f));
      return 0;
    }
    StructuredStudy.Settings settings;
    try {
      List<StudyMethod> parsed = new ArrayList<>();
      methods.forEach(m -> parsed.add(StudyMethod.parse(m.trim())));
      settings = new StructuredStudy.Settings(network.architecture(), seeds, parsed, flops,
          pretrainEpochs, lr, fineTuneLr, 128, 0.9, candidates, subsample, 1, 1000,
          smallRepeats, largeRepeats, threads.threads());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ExperimentData split = ExperimentData.mnist(data.load());
    System.out.println(StudyRow.CSV_HEADER);
    if (speedOnly) {
      StructuredStudy.speedOnly(split.test(), settings, row -> System.out.println(row.csv()));
      return 0;
    }
    StructuredStudy.run(split, settings, shard, out, row -> {
      System.out.println(row.csv());
      System.out.flush();
    });
    return 0;
  }
}
