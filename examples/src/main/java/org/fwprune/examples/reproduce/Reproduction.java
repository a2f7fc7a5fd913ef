package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.fwprune.core.Cnn;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.train.DivergenceException;
import org.fwprune.pruning.structured.StructuredResult;

/**
 * Runs the paper's experiment (docs/algorithms.md): pre-train a network per seed with
 * plain SGD, keep a dense checkpoint after each budget's epoch, then apply every method to a copy
 * of each checkpoint with the same budget of minibatch gradients, and measure the result on the
 * test split.
 *
 * <p>Before the cells, a tuning phase chooses each method's fine-tune learning rate on the
 * validation split, with equal care for every method: the checkpoint of seed 0 at the tune budget,
 * every rate of the grid, the same budget and minibatch order; the rate with the best validation
 * accuracy is then used for all of that method's cells. The tuning runs are the cells of that
 * checkpoint, so their rows come from them rather than from a second identical run.
 *
 * <p>Each finished cell is appended to {@code results.csv} at once, so an interrupted run can be
 * resumed ({@link ReproduceConfig#resume()}); a {@link Shard} runs a disjoint part of the cells,
 * and {@link Merge} combines the parts. At the end the reports are rewritten from the csv.
 *
 * <p>The structured methods ({@link Method#isStructured()}) replace the checkpoint's copy by a
 * smaller network; {@code structured-l1} keeps as many filters per layer as {@code structured-fw}
 * on the same checkpoint and seed, taken from that method's run when it ran earlier in this run
 * (it runs first on each checkpoint) and computed by the same greedy selection otherwise, e.g.
 * when a shard holds only the {@code structured-l1} cell.
 *
 * <p>Data and network are injected ({@link ExperimentData}, {@link ModelFactory}), so the same
 * code runs MNIST with the paper's network and tiny synthetic data in tests.
 */
public final class Reproduction {

  /**
   * Added to a cell's seed to seed its minibatch order after the checkpoint, so that the
   * fine-tune order differs from the pre-training order of the same seed.
   */
  public static final long FINE_TUNE_SEED_OFFSET = 1_000_000;

  private final ReproduceConfig config;
  private final ExperimentData data;
  private final ModelFactory factory;
  private final ProgressListener listener;
  private final MethodRunner runner;
  /**
   * The counts {@code structured-fw} kept per checkpoint in this run, so that {@code
   * structured-l1} keeps as many filters without selecting them again.
   */
  private final Map<CheckpointKey, Map<String, Integer>> keptCounts = new HashMap<>();

  /**
   * A reproduction of {@code config} on {@code data} with networks from {@code factory}.
   *
   * @param listener told about progress; {@code new ProgressListener() {}} for none
   */
  public Reproduction(ReproduceConfig config, ExperimentData data, ModelFactory factory,
      ProgressListener listener) {
    checkArgument(config != null && data != null && factory != null && listener != null,
        "config, data, factory and listener must not be null");
    this.config = config;
    this.data = data;
    this.factory = factory;
    this.listener = listener;
    this.runner = MethodRunner.of(config);
  }

  /**
   * What a run did.
   *
   * @param cellsRun cells computed by this run
   * @param cellsSkipped cells of this run's shard already in the folder
   * @param tuning the chosen learning rates (null if no method needed one)
   * @param rows every row of the folder's {@code results.csv} after the run
   * @param report the report written to {@code results.json}
   */
  public record Outcome(int cellsRun, int cellsSkipped, Tuning tuning, List<CellResult> rows,
      Reports.Report report) {}

  /**
   * Runs the cells of this configuration's shard that {@code out} does not hold yet, appending
   * their rows to {@code out/results.csv}, then rewrites the reports.
   *
   * @throws IncompatibleResultsException if {@code out} already holds results and resuming was
   *     not asked for, or they were made with other settings
   * @throws IOException if a file cannot be read or written
   */
  public Outcome run(Path out) throws IOException {
    Files.createDirectories(out);
    ResultsFolder folder = new ResultsFolder(out);
    ExperimentSettings settings = ExperimentSettings.of(config, data, architecture());
    Optional<RunInfo> previous = checkFolder(folder, settings);
    Set<Cell> done = folder.rows().stream().map(CellResult::cell).collect(Collectors.toSet());
    List<Cell> all = config.cells();
    List<Cell> mine = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (config.shard().contains(i)) {
        mine.add(all.get(i));
      }
    }
    Set<Cell> remaining = new LinkedHashSet<>(mine);
    remaining.removeAll(done);
    int skipped = mine.size() - remaining.size();
    int toRun = remaining.size();

    Tuning tuning = previous.map(RunInfo::tuning).orElse(null);
    List<Method> toTune = remaining.stream().map(Cell::method).filter(Method::isTuned)
        .distinct().sorted().collect(Collectors.toCollection(ArrayList::new));
    if (tuning != null) {
      Tuning known = tuning;
      toTune.removeIf(m -> known.learningRate(m).isPresent());
    }
    RunInfo info = new RunInfo(settings, RunInfo.Plan.of(config), tuning, MachineInfo.current());
    folder.writeRunInfo(info);
    listener.onStart(plannedGradients(remaining, toTune), toRun, skipped);

    try (ResultsCsv.Appender csv = ResultsCsv.append(folder.csv())) {
      TreeSet<Integer> seeds = remaining.stream().map(Cell::seed)
          .collect(Collectors.toCollection(TreeSet::new));
      if (!toTune.isEmpty()) {
        seeds.add(0);
      }
      for (int seed : seeds) {
        TreeSet<Integer> epochs = new TreeSet<>();
        remaining.stream().filter(c -> c.seed() == seed).forEach(c -> epochs.add(c.pretrainEpochs()));
        if (seed == 0 && !toTune.isEmpty()) {
          epochs.add(config.tuneBudget());
        }
        listener.onPhase("pre-train seed " + seed + " for " + epochs.last() + " epochs");
        try (Checkpoints checkpoints = Checkpoints.pretrain(factory, seed, epochs, config,
            data.train(), listener)) {
          if (seed == 0 && !toTune.isEmpty()) {
            Checkpoints.Checkpoint at = checkpoints.at(config.tuneBudget());
            Tuning more = tune(at, toTune, remaining, csv);
            tuning = tuning == null ? more : tuning.plus(more.methods());
            info = info.withTuning(tuning);
            folder.writeRunInfo(info);
          }
          List<Cell> cells = remaining.stream().filter(c -> c.seed() == seed)
              .sorted(Comparator.comparingInt(Cell::pretrainEpochs).thenComparing(Cell::method))
              .toList();
          for (Cell cell : cells) {
            Checkpoints.Checkpoint at = checkpoints.at(cell.pretrainEpochs());
            double lr = cell.method().isTuned() ? tuning.learningRate(cell.method()).orElseThrow()
                : Double.NaN;
            finish(cell, runCell(cell, at, lr), remaining, csv);
          }
        }
      }
    }
    List<CellResult> rows = folder.rows();
    Reports.Report report = Reports.write(folder, rows, List.of(info));
    listener.onFinish();
    return new Outcome(toRun, skipped, tuning, rows, report);
  }

  private Architecture architecture() {
    try (Cnn probe = factory.create(0)) {
      return probe.architecture();
    }
  }

  private Optional<RunInfo> checkFolder(ResultsFolder folder, ExperimentSettings settings)
      throws IOException {
    List<CellResult> rows = folder.rows();
    Optional<RunInfo> previous = folder.runInfo();
    if (!config.resume()) {
      if (!rows.isEmpty() || previous.isPresent()) {
        throw new IncompatibleResultsException(folder.dir() + " already holds a run ("
            + rows.size() + " results); pass --resume to continue it, or choose another"
            + " output folder");
      }
      return Optional.empty();
    }
    if (previous.isEmpty()) {
      if (!rows.isEmpty()) {
        throw new IncompatibleResultsException(folder.dir() + " holds " + rows.size()
            + " results but no " + ResultsFolder.RUN_FILE + ", so their settings are unknown;"
            + " choose another output folder");
      }
      return Optional.empty();
    }
    List<String> differences = previous.get().settings().differences(settings);
    if (!differences.isEmpty()) {
      throw new IncompatibleResultsException(folder.dir() + " holds results made with other"
          + " settings (" + String.join("; ", differences) + "); choose another output folder");
    }
    return previous;
  }

  /** Gradients still to compute: pre-training, tuning and the cells the tuning does not cover. */
  private long plannedGradients(Set<Cell> remaining, List<Method> toTune) {
    int batch = Math.min(config.batchSize(), data.train().size());
    long perEpoch = (data.train().size() + batch - 1) / batch;
    Map<Integer, Integer> lastEpoch = new LinkedHashMap<>();
    remaining.forEach(c -> lastEpoch.merge(c.seed(), c.pretrainEpochs(), Math::max));
    if (!toTune.isEmpty()) {
      lastEpoch.merge(0, config.tuneBudget(), Math::max);
    }
    long total = lastEpoch.values().stream().mapToLong(e -> e * perEpoch).sum();
    total += (long) toTune.size() * config.lrGrid().size() * config.fineTuneSteps();
    for (Cell c : remaining) {
      boolean coveredByTuning = c.seed() == 0 && c.pretrainEpochs() == config.tuneBudget()
          && toTune.contains(c.method());
      if (c.method() != Method.DENSE && !coveredByTuning) {
        total += config.fineTuneSteps();
      }
    }
    return total;
  }

  /**
   * Tries every learning rate of the grid for each method on the tuning checkpoint and chooses
   * by validation accuracy; the chosen model of a cell still to run becomes that cell's row.
   */
  private Tuning tune(Checkpoints.Checkpoint at, List<Method> methods, Set<Cell> remaining,
      ResultsCsv.Appender csv) throws IOException {
    List<Tuning.MethodTuning> tuned = new ArrayList<>();
    for (Method method : methods) {
      Cell cell = new Cell(method, config.tuneBudget(), 0, config.targetSparsity());
      List<Tuning.Candidate> candidates = new ArrayList<>();
      Map<Double, Trained> trained = new LinkedHashMap<>();
      try {
        for (double lr : config.lrGrid()) {
          listener.onPhase("tune " + method.id() + " at lr " + lr);
          Trained t = train(cell, at, lr);
          trained.put(lr, t);
          if (t.diverged()) {
            candidates.add(new Tuning.Candidate(lr, Double.NaN, Double.NaN));
          } else {
            Evaluation v = t.model().evaluate(data.validation());
            candidates.add(new Tuning.Candidate(lr, v.accuracy(), v.loss()));
          }
        }
        Tuning.MethodTuning choice = Tuning.MethodTuning.choose(method, candidates);
        tuned.add(choice);
        listener.onTuned(choice);
        if (remaining.contains(cell)) {
          Trained best = trained.get(choice.chosenLearningRate());
          finish(cell, measure(cell, at, best), remaining, csv);
        }
      } finally {
        trained.values().forEach(t -> t.model().close());
      }
    }
    return new Tuning(config.tuneBudget(), 0, tuned);
  }

  /**
   * A checkpoint copy after a method ran on it (for a structured method, the smaller network
   * built from the checkpoint); {@code diverged} if its loss stopped being finite.
   */
  private record Trained(Cnn model, long gradients, double seconds, boolean diverged) {}

  /** The checkpoint of one seed after some epochs, the key of {@link #keptCounts}. */
  private record CheckpointKey(int seed, int pretrainEpochs) {}

  private Trained train(Cell cell, Checkpoints.Checkpoint at, double lr) {
    long seed = cell.seed() + FINE_TUNE_SEED_OFFSET;
    long[] gradients = new long[1];
    ProgressListener counting = new ProgressListener() {
      @Override
      public void onGradients(long count) {
        gradients[0] += count;
        listener.onGradients(count);
      }
    };
    Optional<Map<String, Integer>> counts = cell.method() == Method.STRUCTURED_L1
        ? Optional.of(greedyCounts(cell, at, seed)) : Optional.empty();
    long start;
    double selectionSeconds = 0;
    Cnn model;
    if (cell.method().isStructured()) {
      start = System.nanoTime();
      StructuredResult selected = runner.select(cell.method(), at.model(), data.train(), seed,
          counts);
      if (cell.method() == Method.STRUCTURED_FW) {
        keptCounts.putIfAbsent(new CheckpointKey(cell.seed(), cell.pretrainEpochs()),
            selected.keptCounts());
      }
      selectionSeconds = selected.seconds();
      model = selected.model();
    } else {
      model = at.model().copy();
      start = System.nanoTime();
    }
    try {
      MethodRunner.Outcome o = cell.method().isStructured()
          ? runner.fineTune(model, data.train(), lr, seed, counting)
          : runner.run(cell.method(), model, data.train(), lr, seed, counting);
      return new Trained(model, o.gradientEvaluations(), selectionSeconds + o.seconds(), false);
    } catch (DivergenceException e) {
      return new Trained(model, gradients[0], (System.nanoTime() - start) / 1e9, true);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The filters per layer {@code structured-fw} keeps on this checkpoint and seed: remembered
   * from its run when it ran first, else computed by the same greedy selection (whose time is
   * then not counted as {@code structured-l1}'s).
   */
  private Map<String, Integer> greedyCounts(Cell cell, Checkpoints.Checkpoint at, long seed) {
    CheckpointKey key = new CheckpointKey(cell.seed(), cell.pretrainEpochs());
    Map<String, Integer> known = keptCounts.get(key);
    if (known != null) {
      return known;
    }
    listener.onPhase("greedy selection for the counts of " + cell);
    Map<String, Integer> counts = runner.greedyCounts(at.model(), data.train(), seed);
    keptCounts.put(key, counts);
    return counts;
  }

  private CellResult runCell(Cell cell, Checkpoints.Checkpoint at, double lr) {
    if (cell.method() == Method.DENSE) {
      listener.onPhase(cell.toString());
      Evaluation test = at.model().evaluate(data.test());
      return new CellResult(cell, test.accuracy(), test.loss(),
          Measurements.nonzeroFraction(at.model()),
          Measurements.inferenceMsPerExample(at.model(), data.test()), 1.0, at.trainSeconds(), 0,
          0, Measurements.flopsPerExample(at.model()));
    }
    listener.onPhase(cell + ", lr " + lr);
    Trained t = train(cell, at, lr);
    try {
      return measure(cell, at, t);
    } finally {
      t.model().close();
    }
  }

  private CellResult measure(Cell cell, Checkpoints.Checkpoint at, Trained t) {
    double nonzero = cell.method().isStructured()
        ? Measurements.nonzeroFraction(t.model(), at.model())
        : Measurements.nonzeroFraction(t.model());
    double flops = Measurements.flopsPerExample(t.model());
    if (t.diverged()) {
      return new CellResult(cell, Double.NaN, Double.NaN, nonzero, Double.NaN, Double.NaN,
          at.trainSeconds(), t.seconds(), t.gradients(), flops);
    }
    Evaluation test = t.model().evaluate(data.test());
    Measurements.Timing timing = Measurements.inferenceTiming(t.model(), at.model(),
        data.test());
    return new CellResult(cell, test.accuracy(), test.loss(), nonzero, timing.msPerExample(),
        timing.ratio(), at.trainSeconds(), t.seconds(), t.gradients(), flops);
  }

  private void finish(Cell cell, CellResult result, Set<Cell> remaining, ResultsCsv.Appender csv)
      throws IOException {
    csv.append(result);
    remaining.remove(cell);
    listener.onCellFinished(result);
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("config", config)
        .add("data", data.describe())
        .add("runner", runner)
        .toString();
  }
}
