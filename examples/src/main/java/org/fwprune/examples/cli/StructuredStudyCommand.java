package org.fwprune.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.Network;
import org.fwprune.examples.reproduce.Shard;
import org.fwprune.examples.structured.StructuredStudy;
import org.fwprune.examples.structured.StudyMethod;
import org.fwprune.examples.structured.StudyRow;
import org.fwprune.examples.structured.StudySummary;
import org.fwprune.pruning.structured.KeepRule;
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
 * the charts of what the folder holds. {@code fwprune study structured}.
 */
@Command(name = "structured", aliases = "structured-study", mixinStandardHelpOptions = true,
    description = "Structured pruning on MNIST (ResNet-20 or the paper network) at equal FLOPs:"
        + " greedy selection, L1 norms and BatchNorm scales against GMP 90%%, accuracy and"
        + " speed-up (docs/structured.md).")
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
      converter = NetworkConverter.class,
      completionCandidates = NetworkConverter.Names.class,
      description = "Network, among: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Network network;

  @Mixin
  SeedsOption seeds = new SeedsOption();

  @Option(names = "--methods", split = ",",
      defaultValue = "dense,dense-trained-on,gmp-90,greedy,l1,bn-scale",
      description = "Rows (default ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(names = "--flops", split = ",", defaultValue = "0.5,0.25",
      description = "KeepRule.flops targets of the structured methods (default ${DEFAULT-VALUE}).")
  List<Double> flops;

  @Option(names = "--channel-multiple", split = ",", defaultValue = "1", paramLabel = "M",
      description = "Structured methods keep multiples of M channels per group:"
          + " KeepRule.flops(f, M), a row per M; 1 is KeepRule.flops(f) (default"
          + " ${DEFAULT-VALUE}).")
  List<Integer> channelMultiples;

  @Option(names = "--accuracy-rule", split = ",", paramLabel = "FRACTION,MAX_KEEP",
      description = "Instead of --flops: greedy selection stops by KeepRule.accuracy(FRACTION,"
          + " MAX_KEEP), the other selections keep its counts (e.g. 0.98,0.5).")
  List<Double> accuracyRule;

  @Option(names = "--method-lr", paramLabel = "METHOD=LR",
      description = "Fine-tune learning rate of one method, replacing --fine-tune-lr for it"
          + " (repeatable, e.g. --method-lr gmp-90=0.1).")
  Map<String, Double> methodLearningRates = new LinkedHashMap<>();

  @Option(names = "--pretrain-momentum", defaultValue = "0.9",
      description = "Momentum of the checkpoint's SGD, 0 for plain SGD (default ${DEFAULT-VALUE}).")
  double pretrainMomentum;

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
      Map<StudyMethod, Double> rates = new LinkedHashMap<>();
      methodLearningRates.forEach((m, rate) -> rates.put(StudyMethod.parse(m.trim()), rate));
      if (accuracyRule != null && (accuracyRule.size() != 2
          || spec.commandLine().getParseResult().hasMatchedOption("--flops"))) {
        throw new IllegalArgumentException("--accuracy-rule takes FRACTION,MAX_KEEP and replaces"
            + " --flops; got " + accuracyRule);
      }
      settings = new StructuredStudy.Settings(network.architecture(), seeds.seeds(), parsed,
          flops, pretrainEpochs, lr, fineTuneLr, 128, 0.9, candidates, subsample, 1, 1000,
          smallRepeats, largeRepeats, threads.threads(), channelMultiples,
          accuracyRule == null ? null : (KeepRule.Accuracy) KeepRule.accuracy(
              accuracyRule.get(0), accuracyRule.get(1)), pretrainMomentum, rates);
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
