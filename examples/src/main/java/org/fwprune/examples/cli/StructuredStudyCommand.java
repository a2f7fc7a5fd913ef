package org.fwprune.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.Network;
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
@Command(name = "structured", resourceBundle = "org.fwprune.examples.cli.StructuredStudyCommand",
    aliases = "structured-study", mixinStandardHelpOptions = true,
    description = "Structured pruning on MNIST (ResNet-20 or the paper network) at equal FLOPs:"
        + " greedy selection, L1 norms and BatchNorm scales against GMP 90%%, accuracy and"
        + " speed-up (docs/structured.md).")
final class StructuredStudyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  DataOptions data = new DataOptions();

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "structured-study")
  Path out;

  @Mixin
  NetworkOption network = new NetworkOption(Network.RESNET20);

  @Mixin
  SeedsOption seeds = new SeedsOption();

  @Option(names = "--methods", split = ",",
      defaultValue = "dense,dense-trained-on,gmp-90,greedy,l1,bn-scale")
  List<String> methods;

  @Option(names = "--flops", split = ",", defaultValue = "0.5,0.25")
  List<Double> flops;

  @Option(names = "--channel-multiple", split = ",", defaultValue = "1", paramLabel = "M")
  List<Integer> channelMultiples;

  @Option(names = "--accuracy-rule", split = ",", paramLabel = "FRACTION,MAX_KEEP")
  List<Double> accuracyRule;

  @Option(names = "--method-lr", paramLabel = "METHOD=LR")
  Map<String, Double> methodLearningRates = new LinkedHashMap<>();

  @Option(names = "--pretrain-momentum", defaultValue = "0.9")
  double pretrainMomentum;

  @Option(names = "--pretrain-epochs", defaultValue = "2")
  int pretrainEpochs;

  @Option(names = "--lr", defaultValue = "0.05")
  double lr;

  @Option(names = "--fine-tune-lr", defaultValue = "0.01")
  double fineTuneLr;

  @Option(names = "--candidates", defaultValue = "16")
  int candidates;

  @Option(names = "--subsample", defaultValue = "64")
  int subsample;

  @Option(names = "--small-repeats", defaultValue = "500")
  int smallRepeats;

  @Option(names = "--large-repeats", defaultValue = "20")
  int largeRepeats;

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  /** A seed is the unit of work: a shard runs whole seeds. */
  @Mixin
  ShardOptions shard = new ShardOptions();

  @Option(names = "--summary")
  boolean summary;

  @Option(names = "--speed-only")
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
      settings = new StructuredStudy.Settings(network.network().architecture(), seeds.seeds(), parsed,
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
    StructuredStudy.run(split, settings, shard.shard(), out, row -> {
      System.out.println(row.csv());
      System.out.flush();
    });
    return 0;
  }
}
