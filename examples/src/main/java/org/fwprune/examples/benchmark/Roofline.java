package org.fwprune.examples.benchmark;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.eval.MedianTimer;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.reproduce.Network;
import org.fwprune.pruning.structured.Flops;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The roofline of issue 29, ask 4: the GFLOP/s the library reaches in training and at large-batch
 * inference, set against the float32 matrix-product (sgemm) peak that TensorFlow reaches on the
 * same machine with the same intra-op threads, all measured in one process and in alternation
 * ({@link MedianTimer#alternate}: each round runs every body once, so that a slow spell of a
 * shared machine hits the peak and the networks alike).
 *
 * <p>Conventions. The peak is {@code 2 n^3} over the median time of a TensorFlow {@code MatMul} of
 * two random {@code n x n} matrices, fed as placeholders and run as a target (nothing copied
 * back); the table's peak is the highest over the sizes. A network's multiply-adds per image
 * are {@link Flops#perExample} (conv and dense layers). Inference counts {@code 2 x
 * multiply-adds} FLOPs per image; training counts {@code 3 x 2 x multiply-adds} (forward, and a
 * backward pass of twice the forward's work: gradients with respect to inputs and to weights), the
 * usual convention, which overstates the first layer slightly since its input gradient is not
 * needed. Training is {@code Cnn.fit} with SGD momentum 0.9, lr 0.05, timed as whole calls of
 * {@code trainSteps} steps on random 28x28x1 images; inference is {@code Cnn.predict} on a data
 * set of {@code inferenceBatch} random images. Weights are random: time does not depend on them.
 *
 * <pre>
 * java -cp examples/target/fwprune.jar org.fwprune.examples.benchmark.Roofline THREADS [ROUNDS
 *     [TRAIN_STEPS [SIZES]]]
 * </pre>
 * (intra-op threads, 0 for every core; timed rounds, default 7, after 1 warm-up round; steps per
 * timed {@code fit} call, default 10; matrix sizes, comma-separated, default 1024,2048.)
 */
public final class Roofline {

  /** Training images per step, as the project's other training benchmarks use. */
  public static final int DEFAULT_TRAIN_BATCH = 128;
  /** Images per {@code predict} call: the large batch of docs/performance.md. */
  public static final int DEFAULT_INFERENCE_BATCH = 1000;

  /**
   * What to measure.
   *
   * @param threads TensorFlow intra-op threads of every session, in [0, MAX_THREADS] (0: every
   *     core)
   * @param sizes matrix sizes {@code n} of the sgemm peak, each in [1, 8192], at least one
   * @param trainBatch training batch size, in [1, 4096]
   * @param trainSteps steps per timed {@code fit} call, in [1, 1e6]
   * @param inferenceBatch images per {@code predict} call, in [1, {@value Evaluation#BATCH_SIZE}]
   * @param warmup untimed rounds, in [0, 1e6]
   * @param rounds timed rounds, in [1, 1e6]
   */
  public record Config(int threads, List<Integer> sizes, int trainBatch, int trainSteps,
      int inferenceBatch, int warmup, int rounds) {
    /** Checks every value; throws {@link IllegalArgumentException} naming the bad one. */
    public Config {
      Require.inClosed("threads", threads, 0, ExecutionOptions.MAX_THREADS);
      checkArgument(sizes != null && !sizes.isEmpty(), "sizes must name at least one matrix size");
      sizes = List.copyOf(sizes);
      for (int n : sizes) {
        Require.inClosed("matrix size", n, 1, 8192);
      }
      Require.inClosed("trainBatch", trainBatch, 1, 4096);
      Require.inClosed("trainSteps", trainSteps, 1, 1_000_000);
      Require.inClosed("inferenceBatch", inferenceBatch, 1, Evaluation.BATCH_SIZE);
      Require.inClosed("warmup", warmup, 0, 1_000_000);
      Require.inClosed("rounds", rounds, 1, 1_000_000);
    }

    /** The defaults at {@code threads} intra-op threads and {@code rounds} timed rounds. */
    public static Config defaults(int threads, int rounds) {
      return new Config(threads, List.of(1024, 2048), DEFAULT_TRAIN_BATCH, 10,
          DEFAULT_INFERENCE_BATCH, 1, rounds);
    }
  }

  /** The sgemm figure of one matrix size. */
  public record Peak(int n, double medianSeconds) {
    /** {@code 2 n^3} floating-point operations over the median time, in GFLOP/s. */
    public double gflops() {
      return 2.0 * n * n * n / medianSeconds / 1e9;
    }
  }

  /** Whether a row measures training or inference, and how many FLOPs a multiply-add counts. */
  public enum Mode {
    /** Forward and backward: 3 x 2 FLOPs per multiply-add of the forward pass. */
    TRAINING(6),
    /** Forward only: 2 FLOPs per multiply-add. */
    INFERENCE(2);

    private final int flopsPerMultiplyAdd;

    Mode(int flopsPerMultiplyAdd) {
      this.flopsPerMultiplyAdd = flopsPerMultiplyAdd;
    }

    /** FLOPs counted per forward multiply-add. */
    public int flopsPerMultiplyAdd() {
      return flopsPerMultiplyAdd;
    }
  }

  /**
   * One network in one mode.
   *
   * @param network the network's command-line name
   * @param mode training or inference
   * @param batch images per step or per call
   * @param multiplyAdds forward multiply-adds per image ({@link Flops#perExample})
   * @param imagesPerSecond images over the median time of a timed call
   * @param peakGflops the sgemm peak the fraction is taken of
   */
  public record Row(String network, Mode mode, int batch, long multiplyAdds,
      double imagesPerSecond, double peakGflops) {
    /** GFLOP/s reached: images/s x FLOPs per multiply-add x multiply-adds / 1e9. */
    public double gflops() {
      return imagesPerSecond * mode.flopsPerMultiplyAdd() * multiplyAdds / 1e9;
    }

    /** {@link #gflops()} over the sgemm peak. */
    public double fractionOfPeak() {
      return gflops() / peakGflops;
    }
  }

  /** Every figure of a run. */
  public record Report(Config config, List<Peak> peaks, List<Row> rows) {
    /** Copies the lists. */
    public Report {
      peaks = List.copyOf(peaks);
      rows = List.copyOf(rows);
    }

    /** The highest sgemm GFLOP/s over the sizes. */
    public double peakGflops() {
      return peaks.stream().mapToDouble(Peak::gflops).max().orElseThrow();
    }

    /** The figures as two Markdown tables: the sgemm sizes, then the networks. */
    public String table() {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
          "intra-op threads %d, %d timed rounds after %d warm-up%n%n"
              + "| sgemm n | median ms | GFLOP/s |%n| --- | --- | --- |%n",
          config.threads(), config.rounds(), config.warmup()));
      for (Peak p : peaks) {
        sb.append(String.format(Locale.ROOT, "| %d | %.3f | %.1f |%n", p.n(),
            1e3 * p.medianSeconds(), p.gflops()));
      }
      sb.append(String.format(Locale.ROOT, "%n| network | mode | batch | multiply-adds per image"
          + " | FLOPs per multiply-add | images/s | GFLOP/s | fraction of sgemm peak (%.1f"
          + " GFLOP/s) |%n| --- | --- | --- | --- | --- | --- | --- | --- |%n", peakGflops()));
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %d | %.1f | %.2f | %.3f |%n",
            r.network(), r.mode().name().toLowerCase(Locale.ROOT), r.batch(), r.multiplyAdds(),
            r.mode().flopsPerMultiplyAdd(), r.imagesPerSecond(), r.gflops(), r.fractionOfPeak()));
      }
      return sb.toString();
    }
  }

  private Roofline() {}

  /** Measures the peak and both networks of {@link Network} in both modes, in alternation. */
  public static Report run(Config c) {
    Random random = new Random(1);
    List<Sgemm> products = new ArrayList<>();
    List<Cnn> models = new ArrayList<>();
    try {
      // The process's first session sizes TensorFlow's thread pools; every session here asks for
      // the same threads, so whichever comes first sizes them as asked.
      for (int n : c.sizes()) {
        products.add(new Sgemm(n, c.threads(), random));
      }
      for (Network network : Network.values()) {
        models.add(network.factory(c.threads()).create(42));
      }
      List<Runnable> bodies = new ArrayList<>();
      products.forEach(p -> bodies.add(p::run));
      Training fit = Training.builder().optimizer(Optimizers.momentum(0.05, 0.9))
          .batchSize(c.trainBatch()).steps(c.trainSteps()).seed(1).build();
      for (Cnn model : models) {
        Dataset train = randomImages(model.architecture(), c.trainBatch() * c.trainSteps(),
            random);
        Dataset infer = randomImages(model.architecture(), c.inferenceBatch(), random);
        bodies.add(() -> model.fit(train, fit));
        bodies.add(() -> model.predict(infer));
      }
      List<Double> medians = MedianTimer.alternate(bodies, c.warmup(), c.rounds());
      List<Peak> peaks = new ArrayList<>();
      for (int i = 0; i < c.sizes().size(); i++) {
        peaks.add(new Peak(c.sizes().get(i), medians.get(i)));
      }
      double peak = peaks.stream().mapToDouble(Peak::gflops).max().orElseThrow();
      List<Row> rows = new ArrayList<>();
      int next = c.sizes().size();
      for (int m = 0; m < models.size(); m++) {
        long macs = Flops.perExample(models.get(m).architecture());
        String id = Network.values()[m].id();
        rows.add(new Row(id, Mode.TRAINING, c.trainBatch(), macs,
            (double) c.trainBatch() * c.trainSteps() / medians.get(next++), peak));
        rows.add(new Row(id, Mode.INFERENCE, c.inferenceBatch(), macs,
            c.inferenceBatch() / medians.get(next++), peak));
      }
      return new Report(c, peaks, rows);
    } finally {
      products.forEach(Sgemm::close);
      models.forEach(Cnn::close);
    }
  }

  /**
   * {@code count} uniform random images in [0, 1) of the architecture's input shape, random
   * labels: the input of benchmarks whose time does not depend on the data.
   */
  static Dataset randomImages(Architecture a, int count, Random random) {
    float[] images = new float[count * a.height() * a.width() * a.channels()];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    int[] labels = new int[count];
    Arrays.setAll(labels, i -> random.nextInt(a.numClasses()));
    return Dataset.of(images, labels, a.height(), a.width(), a.channels(), a.numClasses());
  }

  /** A session that multiplies two fixed random {@code n x n} matrices; owns its native memory. */
  private static final class Sgemm implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TFloat32> a;
    private final Placeholder<TFloat32> b;
    private final MatMul<TFloat32> product;
    private final TFloat32 left;
    private final TFloat32 right;

    Sgemm(int n, int threads, Random random) {
      Ops tf = Ops.create(graph);
      a = tf.placeholder(TFloat32.class);
      b = tf.placeholder(TFloat32.class);
      product = tf.linalg.matMul(a, b);
      // The same thread setting as the models' sessions (ExecutionOptions.threads(threads, 0)).
      session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(threads)
          .setInterOpParallelismThreads(0).build());
      left = matrix(n, random);
      right = matrix(n, random);
    }

    private static TFloat32 matrix(int n, Random random) {
      float[] values = new float[n * n];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextFloat() - 0.5f;
      }
      TFloat32 t = TFloat32.tensorOf(Shape.of(n, n));
      t.asRawTensor().data().asFloats().write(values);
      return t;
    }

    /** One product, run as a target so that the timing holds no copy of the result. */
    void run() {
      try (Result r = session.runner().feed(a, left).feed(b, right).addTarget(product).run()) {
        // Nothing fetched: the Result only has to be closed.
      }
    }

    @Override
    public void close() {
      left.close();
      right.close();
      session.close();
      graph.close();
    }
  }

  /** Arguments: THREADS [ROUNDS [TRAIN_STEPS [SIZES]]]; prints {@link Report#table()}. */
  public static void main(String[] args) {
    checkArgument(args.length >= 1 && args.length <= 4,
        "usage: Roofline THREADS [ROUNDS [TRAIN_STEPS [SIZES]]], e.g. Roofline 2 7 10 1024,2048;"
            + " got %s arguments", args.length);
    Config d = Config.defaults(Integer.parseInt(args[0]),
        args.length > 1 ? Integer.parseInt(args[1]) : 7);
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : d.trainSteps();
    List<Integer> sizes = args.length > 3
        ? Arrays.stream(args[3].split(",")).map(s -> Integer.parseInt(s.trim())).toList()
        : d.sizes();
    Config c = new Config(d.threads(), sizes, d.trainBatch(), steps, d.inferenceBatch(),
        d.warmup(), d.rounds());
    long start = System.nanoTime();
    Report report = run(c);
    System.out.print(report.table());
    System.out.printf(Locale.ROOT, "%nmeasured in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }
}
