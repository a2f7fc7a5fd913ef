package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.fwprune.core.Cnn;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.train.DivergenceException;
import org.fwprune.examples.study.GridRunner;
import org.fwprune.examples.study.RowFormat;
import org.fwprune.examples.study.StudyRecipe;
import org.fwprune.pruning.structured.StructuredResult;

/**
 * The paper's experiment as a recipe of the {@link GridRunner} (docs/algorithms.md): pre-train a
 * network per seed with plain SGD, keep a dense checkpoint after each budget's epoch, then apply
 * every method to a copy of each checkpoint with the same budget of minibatch gradients, and
 * measure the result on the test split. Its cells are {@link ReproduceConfig#cells()}.
 *
 * <p>Cells share work, which {@link #plan} arranges: the cells run seed by seed (one pre-training
 * per seed, copied after each epoch a cell needs), and before them a tuning phase chooses each
 * method's fine-tune learning rate on the validation split, with equal care for every method:
 * the checkpoint of seed 0 at the tune budget, every rate of the grid, the same budget and
 * minibatch order; the rate with the best validation accuracy is then used for all of that
 * method's cells. The tuning runs are the cells of that checkpoint, so their rows come from them
 * rather than from a second identical run.
 *
 * <p>The structured methods ({@link Method#isStructured()}) replace the checkpoint's copy by a
 * smaller network; {@code structured-l1} keeps as many filters per layer as {@code structured-fw}
 * on the same checkpoint and seed, taken from that method's run when it ran earlier (it runs
 * first on each checkpoint) and computed by the same greedy selection otherwise, e.g. when a
 * shard holds only the {@code structured-l1} cell.
 *
 * <p>Holds the current seed's checkpoints between cells: close it after the run.
 */
public final class ReproduceStudy implements StudyRecipe<Cell, CellResult>, AutoCloseable {

  /**
   * Added to a cell's seed to seed its minibatch order after the checkpoint, so that the
   * fine-tune order differs from the pre-training order of the same seed.
   */
  public static final long FINE_TUNE_SEED_OFFSET = 1_000_000;

  private final ReproduceConfig config;
  private final ExperimentData data;
  private final ModelFactory factory;
  private final ProgressListener listener;
  private final Consumer<Tuning> onTuning;
  private final MethodRunner runner;
  /** The chosen rates: those of an earlier run of the folder, then this run's. */
  private Tuning tuning;
  /** Methods of the planned cells whose rate is still to choose. */
  private List<Method> toTune = List.of();
  /** The cells of this run. */
  private Set<Cell> planned = Set.of();
  /** The epochs to keep a checkpoint after, by seed, for the planned cells. */
  private final Map<Integer, TreeSet<Integer>> epochsBySeed = new TreeMap<>();
  /** The rows the tuning phase measured for planned cells, handed out when they are run. */
  private final Map<Cell, CellResult> measuredByTuning = new HashMap<>();
  /** The counts {@code structured-fw} kept per checkpoint, for {@code structured-l1}. */
  private final Map<CheckpointKey, Map<String, Integer>> keptCounts = new HashMap<>();
  private int checkpointSeed = -1;
  private Checkpoints checkpoints;

  /**
   * The experiment of {@code config} on {@code data} with networks from {@code factory}.
   *
   * @param tuning the rates an earlier run of the same folder chose, or null
   * @param listener told about progress
   * @param onTuning receives the tuning each time the phase has chosen more rates (to keep the
   *     run's description current)
   */
  public ReproduceStudy(ReproduceConfig config, ExperimentData data, ModelFactory factory,
      Tuning tuning, ProgressListener listener, Consumer<Tuning> onTuning) {
    checkArgument(config != null && data != null && factory != null && listener != null
        && onTuning != null, "config, data, factory, listener and onTuning must not be null");
    this.config = config;
    this.data = data;
    this.factory = factory;
    this.tuning = tuning;
    this.listener = listener;
    this.onTuning = onTuning;
    this.runner = MethodRunner.of(config);
  }

  /** The rates chosen so far (an earlier run's and this run's); null if none. */
  public Tuning tuning() {
    return tuning;
  }

  @Override
  public List<Cell> cells() {
    return config.cells();
  }

  @Override
  public RowFormat<CellResult> format() {
    return ResultsCsv.ROWS;
  }

  @Override
  public Cell cellOf(CellResult row) {
    return row.cell();
  }

  /**
   * Plans the tuning of the methods that still need a rate and one pre-training per seed, and
   * orders the cells by seed, then pre-training epochs, then method.
   */
  @Override
  public List<Cell> plan(List<Cell> toRun, List<CellResult> done) {
    List<Method> methods = new ArrayList<>(toRun.stream().map(Cell::method)
        .filter(Method::isTuned).distinct().sorted().toList());
    if (tuning != null) {
      methods.removeIf(m -> tuning.learningRate(m).isPresent());
    }
    toTune = List.copyOf(methods);
    planned = Set.copyOf(toRun);
    toRun.forEach(c -> epochsBySeed.computeIfAbsent(c.seed(), s -> new TreeSet<>())
        .add(c.pretrainEpochs()));
    if (!toTune.isEmpty()) {
      epochsBySeed.computeIfAbsent(0, s -> new TreeSet<>()).add(config.tuneBudget());
    }
    // The folder holds only this shard's rows, so its cells are the ones this run skips.
    listener.onStart(plannedGradients(toRun), toRun.size(),
        (int) done.stream().map(CellResult::cell).distinct().count());
    return toRun.stream().sorted(Comparator.comparingInt(Cell::seed)
        .thenComparingInt(Cell::pretrainEpochs).thenComparing(Cell::method)).toList();
  }

  @Override
  public void run(Cell cell, Consumer<CellResult> sink) {
    if (!toTune.isEmpty()) {
      tune();
    }
    CellResult tuned = measuredByTuning.remove(cell);
    if (tuned != null) {
      finish(tuned, sink);
      return;
    }
    Checkpoints.Checkpoint at = checkpointsOf(cell.seed()).at(cell.pretrainEpochs());
    double lr = cell.method().isTuned()
        ? tuning.learningRate(cell.method()).orElseThrow() : Double.NaN;
    finish(runCell(cell, at, lr), sink);
  }

  private void finish(CellResult row, Consumer<CellResult> sink) {
    sink.accept(row);
    listener.onCellFinished(row);
  }

  /** The checkpoints of {@code seed}, pre-training it now if the held ones are another seed's. */
  private Checkpoints checkpointsOf(int seed) {
    if (checkpointSeed != seed) {
      close();
      TreeSet<Integer> epochs = epochsBySeed.get(seed);
      listener.onPhase("pre-train seed " + seed + " for " + epochs.last() + " epochs");
      checkpoints = Checkpoints.pretrain(factory, seed, epochs, config, data.train(), listener);
      checkpointSeed = seed;
    }
    return checkpoints;
  }

  @Override
  public void close() {
    if (checkpoints != null) {
      checkpoints.close();
      checkpoints = null;
      checkpointSeed = -1;
    }
  }

  /** Gradients still to compute: pre-training, tuning and the cells the tuning does not cover. */
  private long plannedGradients(List<Cell> toRun) {
    int batch = Math.min(config.batchSize(), data.train().size());
    long perEpoch = (data.train().size() + batch - 1) / batch;
    long total = epochsBySeed.values().stream().mapToLong(e -> e.last() * perEpoch).sum();
    total += (long) toTune.size() * config.lrGrid().size() * config.fineTuneSteps();
    for (Cell c : toRun) {
      boolean coveredByTuning = c.seed() == 0 && c.pretrainEpochs() == config.tuneBudget()
          && toTune.contains(c.method());
      if (c.method() != Method.DENSE && !coveredByTuning) {
        total += config.fineTuneSteps();
      }
    }
    return total;
  }

  /**
   * Tries every learning rate of the grid for each method still to tune on the tuning checkpoint
   * and chooses by validation accuracy; the chosen model of a tuning cell becomes that cell's row.
   */
  private void tune() {
    Checkpoints.Checkpoint at = checkpointsOf(0).at(config.tuneBudget());
    List<Tuning.MethodTuning> tuned = new ArrayList<>();
    for (Method method : toTune) {
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
        if (planned.contains(cell)) {
          measuredByTuning.put(cell,
              measure(cell, at, trained.get(choice.chosenLearningRate())));
        }
      } finally {
        trained.values().forEach(t -> t.model().close());
      }
    }
    Tuning more = new Tuning(config.tuneBudget(), 0, tuned);
    tuning = tuning == null ? more : tuning.plus(more.methods());
    toTune = List.of();
    onTuning.accept(tuning);
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
}
