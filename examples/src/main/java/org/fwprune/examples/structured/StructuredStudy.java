package org.fwprune.examples.structured;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.InferenceTimer;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.train.OptimizerSpec;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.study.GridRunner;
import org.fwprune.examples.study.RowFormat;
import org.fwprune.examples.study.Shard;
import org.fwprune.examples.study.StudyRecipe;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.structured.ChannelGroups;
import org.fwprune.pruning.structured.Flops;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;

/**
 * Runs the structured-pruning study of docs/structured.md: per seed, a dense checkpoint trained
 * {@code pretrainEpochs} epochs (SGD momentum 0.9), then every method for one more epoch from a
 * copy of it, each structured selection method at every {@code KeepRule.uniformFlops} target. Every
 * network's accuracy is measured on validation and test, and its inference time at a small and a
 * large batch in turn with the dense checkpoint's in the same run, so the speed-up is a ratio
 * measured side by side. A structured method can instead keep multiples of a channel count
 * ({@code KeepRule.flops(f, m)}), or, as for the paper network, greedy selection can stop by the
 * accuracy rule with the other selections at its counts; each keep rule is a row of its own.
 *
 * <p>A recipe of the {@link GridRunner}: a cell is a (seed, method, keep rule), seed by seed;
 * seeds are the unit of work ({@code --shard K/N} runs whole seeds, {@link #unitOf}). Each seed's
 * checkpoint is saved to {@code <dir>/checkpoints/seed-<s>} and loaded again by a rerun; the
 * runner keeps the rows file current after every cell and skips the cells it holds.
 */
public final class StructuredStudy implements StudyRecipe<StructuredStudy.Cell, StudyRow>,
    AutoCloseable {

  /**
   * What to run.
   *
   * @param architecture the dense network (its seed is replaced by each study seed)
   * @param seeds study seeds
   * @param methods the rows to produce
   * @param flops {@code KeepRule.flops} targets of the structured methods, in (0, 1]
   * @param pretrainEpochs epochs of the dense checkpoint
   * @param learningRate SGD-momentum learning rate of the checkpoint
   * @param fineTuneLearningRate of the extra epoch of every method
   * @param batchSize minibatch of every training step
   * @param gmpSparsity target sparsity of GMP
   * @param candidates greedy selection's candidates per step
   * @param subsampleSize greedy selection's minibatch per step
   * @param smallBatch small timing batch
   * @param largeBatch large timing batch
   * @param smallRepeats timed calls per model at the small batch (a fifth as many warm-up calls)
   * @param largeRepeats timed calls per model at the large batch (5 warm-up calls)
   * @param threads TensorFlow intra-op threads per model, 0 for all cores
   * @param channelMultiples each structured method runs at {@code KeepRule.flops(f, m)} for every
   *     target {@code f} and every {@code m} here; 1 is {@code KeepRule.uniformFlops(f)}
   * @param accuracyRule if not null, replaces the FLOPs targets: greedy selection stops by this
   *     rule and the other selections keep the greedy selection's counts (equal FLOPs)
   * @param pretrainMomentum momentum of the checkpoint's SGD, in [0, 1); 0 for plain SGD
   * @param methodLearningRates fine-tune learning rates of single methods, replacing
   *     {@code fineTuneLearningRate} for them
   */
  public record Settings(Architecture architecture, List<Long> seeds, List<StudyMethod> methods,
      List<Double> flops, int pretrainEpochs, double learningRate, double fineTuneLearningRate,
      int batchSize, double gmpSparsity, int candidates, int subsampleSize, int smallBatch,
      int largeBatch, int smallRepeats, int largeRepeats, int threads,
      List<Integer> channelMultiples, KeepRule.Accuracy accuracyRule, double pretrainMomentum,
      Map<StudyMethod, Double> methodLearningRates) {
    /**
     * Copies the lists and checks the settings, each by the library object that takes it (the
     * optimizers, the GMP pruner, the training's batch, the execution options, the keep rules),
     * so that a range is written once; only the study's own settings are checked here.
     */
    public Settings {
      checkArgument(architecture != null, "architecture must not be null");
      checkArgument(!seeds.isEmpty() && !methods.isEmpty(), "seeds and methods must be given");
      Optimizers.momentum(learningRate, pretrainMomentum);
      Optimizers.momentum(fineTuneLearningRate, 0.9);
      methodLearningRates.values().forEach(lr -> Optimizers.momentum(lr, 0.9));
      MagnitudePruner.builder().targetSparsity(gmpSparsity);
      Training.builder().batchSize(batchSize).epochs(pretrainEpochs);
      ExecutionOptions.builder().threads(threads, 0);
      checkArgument(!channelMultiples.isEmpty(), "give at least one channel multiple");
      for (double f : flops) {
        channelMultiples.forEach(m -> KeepRule.flops(f, m));
      }
      checkArgument(smallBatch >= 1 && largeBatch >= smallBatch,
          "timing batches must satisfy 1 <= small <= large, got %s and %s", smallBatch,
          largeBatch);
      checkArgument(smallRepeats >= 1 && largeRepeats >= 1, "timing repeats must be >= 1");
      checkArgument(accuracyRule == null || channelMultiples.equals(List.of(1)),
          "the accuracy rule chooses its own counts; it takes no channel multiple, got %s",
          channelMultiples);
      seeds = ImmutableList.copyOf(seeds);
      methods = ImmutableList.copyOf(methods);
      flops = ImmutableList.copyOf(flops);
      channelMultiples = ImmutableList.copyOf(channelMultiples);
      methodLearningRates = ImmutableMap.copyOf(methodLearningRates);
    }

    /**
     * The study as far as the original options go: FLOPs targets without channel multiple, the
     * checkpoint with momentum 0.9, one fine-tune learning rate.
     */
    public Settings(Architecture architecture, List<Long> seeds, List<StudyMethod> methods,
        List<Double> flops, int pretrainEpochs, double learningRate, double fineTuneLearningRate,
        int batchSize, double gmpSparsity, int candidates, int subsampleSize, int smallBatch,
        int largeBatch, int smallRepeats, int largeRepeats, int threads) {
      this(architecture, seeds, methods, flops, pretrainEpochs, learningRate, fineTuneLearningRate,
          batchSize, gmpSparsity, candidates, subsampleSize, smallBatch, largeBatch, smallRepeats,
          largeRepeats, threads, List.of(1), null, 0.9, Map.of());
    }

    /** The fine-tune learning rate of {@code method}. */
    double fineTuneLearningRate(StudyMethod method) {
      return methodLearningRates.getOrDefault(method, fineTuneLearningRate);
    }

    /** The keep rule of every structured cell, by its {@link StudyRow#keep} label. */
    Map<String, KeepRule> keepRules() {
      Map<String, KeepRule> out = new LinkedHashMap<>();
      if (accuracyRule != null) {
        out.put(String.format(Locale.ROOT, "accuracy(%s %s)", accuracyRule.fractionOfDense(),
            accuracyRule.maxKeepFraction()), accuracyRule);
        return out;
      }
      for (double f : flops) {
        for (int m : channelMultiples) {
          // uniformFlops: the rule the committed rows were made with (flops(f) is now latency-guided).
          out.put(StudyRow.flopsKeep(f, m),
              m == 1 ? KeepRule.uniformFlops(f) : KeepRule.flops(f, m));
        }
      }
      return out;
    }
  }

  /**
   * One cell of the grid.
   *
   * @param seed the study seed
   * @param method the method
   * @param keep the keep rule's label ({@link StudyRow#keep}); {@code -} for a method that is not
   *     a structured selection
   */
  public record Cell(long seed, StudyMethod method, String keep) {}

  private final ExperimentData split;
  private final Settings settings;
  private final Path checkpoints;
  /** Every row of the run so far: the rows file's, then the new ones (greedy's counts). */
  private final List<StudyRow> rows = new ArrayList<>();
  private long denseSeed = -1;
  private Cnn dense;

  /**
   * The study of {@code settings} on {@code split}, keeping each seed's dense checkpoint under
   * {@code checkpoints} ({@code seed-<s>}), where a rerun finds it.
   */
  public StructuredStudy(ExperimentData split, Settings settings, Path checkpoints) {
    this.split = Require.notNull("split", split);
    this.settings = Require.notNull("settings", settings);
    this.checkpoints = Require.notNull("checkpoints", checkpoints);
  }

  @Override
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (long seed : settings.seeds()) {
      for (StudyMethod m : settings.methods()) {
        if (m.selection().isEmpty()) {
          cells.add(new Cell(seed, m, "-"));
        } else {
          settings.keepRules().keySet().forEach(keep -> cells.add(new Cell(seed, m, keep)));
        }
      }
    }
    return cells;
  }

  @Override
  public Object unitOf(Cell cell) {
    return cell.seed();
  }

  @Override
  public List<Cell> plan(List<Cell> toRun, List<StudyRow> done) {
    rows.addAll(done);
    return toRun;
  }

  @Override
  public void run(Cell cell, Consumer<StudyRow> sink) {
    SeedRun run = new SeedRun(split, settings, cell.seed(), rows);
    StudyRow row = cell.method().selection().isEmpty()
        ? run.measure(checkpointOf(run), cell.method())
        : run.measureStructured(checkpointOf(run), cell.method(), cell.keep(),
            settings.keepRules().get(cell.keep()));
    rows.add(row);
    sink.accept(row);
  }

  @Override
  public Cell cellOf(StudyRow row) {
    return new Cell(row.seed(), row.method(), row.keep());
  }

  @Override
  public RowFormat<StudyRow> format() {
    return StudyRow.FORMAT;
  }

  /** The dense checkpoint of {@code run}'s seed, held until the next seed's. */
  private Cnn checkpointOf(SeedRun run) {
    if (denseSeed != run.seed) {
      close();
      dense = run.checkpoint(checkpoints.resolve("seed-" + run.seed));
      denseSeed = run.seed;
    }
    return dense;
  }

  @Override
  public void close() {
    if (dense != null) {
      dense.close();
      dense = null;
      denseSeed = -1;
    }
  }

  /**
   * Runs the seeds of {@code shard}, writing into {@code dir} ({@link #rowsFile}, and the
   * checkpoints under {@code dir/checkpoints}), and returns every row of that file (read back from
   * earlier runs or measured now).
   *
   * @param sink receives each newly measured row
   */
  public static List<StudyRow> run(ExperimentData split, Settings settings, Shard shard, Path dir,
      Consumer<StudyRow> sink) throws IOException {
    Files.createDirectories(dir);
    try (StructuredStudy study = new StructuredStudy(split, settings,
        dir.resolve("checkpoints"))) {
      return GridRunner.run(study, shard, Optional.of(rowsFile(dir, shard)), sink);
    }
  }

  /**
   * Measures speed alone, in seconds rather than hours: the network with random weights of the
   * first seed (speed does not depend on the weights), and for each FLOPs target its smaller
   * version with the L1 selection, untrained, each timed in turn with the dense one. Writes
   * nothing; the rows' accuracies are NaN (not measured).
   */
  public static List<StudyRow> speedOnly(Dataset test, Settings settings,
      Consumer<StudyRow> sink) throws IOException {
    ExperimentData split = new ExperimentData(test, test, test);
    SeedRun run = new SeedRun(split, settings, settings.seeds().get(0), List.of());
    run.accuracy = false;
    List<StudyRow> rows = new ArrayList<>();
    try (Cnn dense = run.fresh()) {
      rows.add(run.row(dense, dense, StudyMethod.DENSE, 1, dense.parameterCount(), "-",
          System.nanoTime(), "-", Double.NaN));
      sink.accept(rows.get(0));
      for (Map.Entry<String, KeepRule> keep : settings.keepRules().entrySet()) {
        long start = System.nanoTime();
        try (StructuredResult r = StructuredPruner.builder().selection(
            StudyMethod.L1.selection().orElseThrow()).keep(keep.getValue()).fineTuneSteps(0)
            .batchNormRecalibration(0).build().prune(dense, test)) {
          rows.add(run.row(dense, r.model(), StudyMethod.L1, flopsTarget(keep.getValue()),
              r.model().parameterCount(), kept(r), start, keep.getKey(), Double.NaN));
          sink.accept(rows.get(rows.size() - 1));
        }
      }
    }
    return rows;
  }

  /** The FLOPs target of a rule, for the {@code flops} column; 0 for the accuracy rule. */
  private static double flopsTarget(KeepRule rule) {
    if (rule instanceof KeepRule.FlopsFraction f) {
      return f.fraction();
    }
    return rule instanceof KeepRule.RoundedFlops r ? r.fraction() : 0;
  }

  private static String kept(StructuredResult r) {
    return r.keptCounts().values().stream().map(String::valueOf)
        .collect(Collectors.joining(";"));
  }

  /**
   * The rows file of {@code shard} in {@code dir}: {@code rows.csv} for the whole grid, {@code
   * rows-K-of-N.csv} for a part, so that parts running at once write files of their own.
   */
  static Path rowsFile(Path dir, Shard shard) {
    return dir.resolve(shard.equals(Shard.ALL) ? "rows.csv"
        : "rows-" + shard.index() + "-of-" + shard.count() + ".csv");
  }

  /**
   * Every row of the study's CSV files in {@code dir}, by file name: the runner's {@code
   * rows*.csv} and the {@code seed-<s>.csv} files the study wrote per seed before it ran on the
   * {@link GridRunner}.
   */
  public static List<StudyRow> readAll(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return GridRunner.merge(StudyRow.FORMAT, files.filter(p -> p.getFileName().toString()
          .matches("seed-\\d+\\.csv|rows(-\\d+-of-\\d+)?\\.csv")).sorted().toList());
    }
  }

  /** The methods of one seed, from its checkpoint. */
  private static final class SeedRun {
    private final ExperimentData split;
    private final Settings s;
    private final long seed;
    /** The rows measured before, where greedy selection's counts are found. */
    private final List<StudyRow> rows;
    /** Whether rows measure accuracy (not for untrained networks timed for speed alone). */
    private boolean accuracy = true;

    SeedRun(ExperimentData split, Settings s, long seed, List<StudyRow> rows) {
      this.split = split;
      this.s = s;
      this.seed = seed;
      this.rows = rows;
    }

    /** The dense checkpoint of this seed, loaded from {@code saved} or trained and saved there. */
    Cnn checkpoint(Path saved) {
      try {
        // Cnn.save replaces the folder atomically: if it is there, it is complete.
        if (Files.isDirectory(saved)) {
          try (Cnn loaded = Cnn.load(saved)) {
            Cnn model = Cnn.of(loaded.architecture(), threads());
            model.setParameters(loaded.parameters());
            return model;
          }
        }
        Cnn model = fresh();
        try {
          model.fit(split.train(), training(s.learningRate(), s.pretrainMomentum())
              .epochs(s.pretrainEpochs()).build());
          model.save(saved);
          return model;
        } catch (RuntimeException | IOException e) {
          model.close();
          throw e;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private ExecutionOptions threads() {
      return ExecutionOptions.builder().threads(s.threads(), 0).build();
    }

    /** The network initialised with this seed. */
    Cnn fresh() {
      // The study's committed figures were measured before BatchNorm debiasing existed.
      return Cnn.of(s.architecture().withSeed(seed).withBatchNormDebias(false), threads());
    }

    private Training.Builder training(double lr, double momentum) {
      return Training.builder().optimizer(momentum == 0 ? Optimizers.sgd(lr)
          : Optimizers.momentum(lr, momentum)).batchSize(s.batchSize()).seed(seed);
    }

    /**
     * A structured method under {@code rule}; under the accuracy rule a method other than greedy
     * selection keeps the counts greedy selection chose for this seed, which must be measured
     * already.
     */
    StudyRow measureStructured(Cnn dense, StudyMethod m, String keep, KeepRule rule) {
      long start = System.nanoTime();
      if (rule instanceof KeepRule.Accuracy && m != StudyMethod.GREEDY) {
        rule = KeepRule.counts(greedyCounts(dense, keep));
      }
      try (StructuredResult r = StructuredPruner.builder().selection(m.selection().orElseThrow())
          .keep(rule).candidates(s.candidates()).subsampleSize(s.subsampleSize())
          .fineTune(Optimizers.momentum(s.fineTuneLearningRate(m), 0.9)).fineTuneEpochs(1)
          .batchSize(s.batchSize()).validation(split.validation()).seed(seed)
          .batchNormRecalibration(0).build()
          .prune(dense, split.train())) {
        return row(dense, r.model(), m, flopsTarget(rule), r.model().parameterCount(), kept(r),
            start, keep, r.accuracyPruned());
      }
    }

    /** The counts of this seed's greedy row under {@code keep}, by group. */
    private Map<String, Integer> greedyCounts(Cnn dense, String keep) {
      StudyRow greedy = rows.stream().filter(r -> r.sameCell(seed, StudyMethod.GREEDY, keep))
          .findFirst().orElseThrow(() -> new IllegalStateException("under the accuracy rule the"
              + " other selections keep the greedy selection's counts: list greedy before them"
              + " in the methods"));
      List<ChannelGroups.Group> groups = ChannelGroups.of(dense.architecture()).prunable();
      String[] kept = greedy.kept().split(";");
      checkArgument(kept.length == groups.size(), "seed %s: greedy row keeps %s groups, the"
          + " network has %s", seed, kept.length, groups.size());
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (int i = 0; i < kept.length; i++) {
        counts.put(groups.get(i).name(), Integer.parseInt(kept[i]));
      }
      return counts;
    }

    /** A method that is not a structured selection. */
    StudyRow measure(Cnn dense, StudyMethod m) {
      long start = System.nanoTime();
      OptimizerSpec fineTune = Optimizers.momentum(s.fineTuneLearningRate(m), 0.9);
      double flops = 1;
      if (m == StudyMethod.DENSE) {
        return row(dense, dense, m, flops, dense.parameterCount(), "-", start, "-", Double.NaN);
      }
      try (Cnn copy = dense.copy()) {
        long parameters = copy.parameterCount();
        if (m == StudyMethod.GMP) {
          PruningReport r = MagnitudePruner.builder().mode(MagnitudePruner.Mode.GRADUAL)
              .targetSparsity(s.gmpSparsity()).epochs(1).batchSize(s.batchSize())
              .fineTune(fineTune).seed(seed).build().prune(copy, split.train());
          parameters -= r.layers().stream().mapToLong(l -> l.parameters() - l.nonZeros()).sum();
        } else {
          copy.fit(split.train(), training(s.fineTuneLearningRate(m), 0.9).epochs(1).build());
        }
        return row(dense, copy, m, flops, parameters, "-", start, "-", Double.NaN);
      }
    }

    StudyRow row(Cnn dense, Cnn model, StudyMethod m, double flops, long parameters,
        String kept, long start, String keep, double validationBeforeFineTune) {
      double seconds = (System.nanoTime() - start) / 1e9;
      Dataset test = split.test();
      List<Cnn> pair = model == dense ? List.of(dense) : List.of(dense, model);
      List<InferenceTimer.Timing> small = InferenceTimer.measure(pair, test, s.smallBatch(),
          Math.max(1, s.smallRepeats() / 5), s.smallRepeats());
      List<InferenceTimer.Timing> large = InferenceTimer.measure(pair, test, s.largeBatch(), 5,
          s.largeRepeats());
      return new StudyRow(seed, m, flops,
          accuracy ? model.evaluate(split.validation()).accuracy() : Double.NaN,
          accuracy ? model.evaluate(test).accuracy() : Double.NaN, parameters, Flops.perExample(model.architecture()),
          s.smallBatch(), small.get(pair.size() - 1).msPerExample(), small.get(0).msPerExample(),
          s.largeBatch(), large.get(pair.size() - 1).msPerExample(), large.get(0).msPerExample(),
          kept, seconds, keep, validationBeforeFineTune);
    }
  }
}
