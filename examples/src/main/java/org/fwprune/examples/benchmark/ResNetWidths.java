package org.fwprune.examples.benchmark;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.eval.InferenceTimer;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Padding;
import org.fwprune.pruning.structured.Flops;

/**
 * Times ResNet-20 (the topology of {@code Architectures.resNet(20, 28, 28, 1, 10)}) at several
 * stage widths against the dense 16/32/64, to tell whether the speed of a structurally pruned
 * ResNet depends on its channel counts beyond their multiply-adds (docs/structured.md). All
 * networks live in one process and are timed in turn call by call ({@link InferenceTimer}); the
 * whole measurement is repeated in rounds, and each ratio is the median over rounds of the
 * dense network's median over the network's median in the same round, so load that drifts
 * between rounds does not favour one network.
 *
 * <p>Run: {@code java -cp fwprune.jar org.fwprune.examples.benchmark.ResNetWidths MNIST_DIR
 * [ROUNDS [BATCH_1_REPEATS [BATCH_1000_REPEATS [WIDTHS...]]]]}, widths as {@code 11/22/44}; the
 * first width is the reference.
 */
public final class ResNetWidths {

  /** The widths timed when none are given: dense, then flops(0.5), rounded and flops(0.25). */
  public static final List<int[]> DEFAULT_WIDTHS = List.of(new int[] {16, 32, 64},
      new int[] {11, 22, 44}, new int[] {12, 24, 48}, new int[] {14, 28, 56},
      new int[] {8, 16, 32}, new int[] {8, 16, 31});

  /**
   * One network's figures.
   *
   * @param widths channels of the three stages
   * @param macs multiply-adds per example ({@link Flops})
   * @param parameters trainable parameters
   * @param smallMs median over rounds of the ms/example at batch 1
   * @param smallRatio median over rounds of the reference's time over this network's, batch 1
   * @param largeMs median over rounds of the ms/example at the large batch
   * @param largeRatio the same ratio at the large batch
   * @param largeRatioMin smallest per-round ratio at the large batch
   * @param largeRatioMax largest per-round ratio at the large batch
   */
  public record Row(int[] widths, long macs, long parameters, double smallMs, double smallRatio,
      double largeMs, double largeRatio, double largeRatioMin, double largeRatioMax) {

    /** The widths as {@code 16/32/64}. */
    public String label() {
      return Arrays.stream(widths).mapToObj(String::valueOf).collect(Collectors.joining("/"));
    }
  }

  private ResNetWidths() {}

  /** Times the default widths on the MNIST test set; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    checkArgument(args.length >= 1, "usage: ResNetWidths MNIST_DIR [ROUNDS [BATCH_1_REPEATS"
        + " [BATCH_1000_REPEATS [WIDTHS...]]]]");
    Dataset test = Mnist.load(Path.of(args[0])).test();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int smallRepeats = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int largeRepeats = args.length > 3 ? Integer.parseInt(args[3]) : 6;
    List<int[]> widths = args.length > 4 ? Arrays.stream(args).skip(4).map(ResNetWidths::parse)
        .toList() : DEFAULT_WIDTHS;
    // The table of the rounds so far after every round, so a stopped run still reports.
    run(test, widths, rounds, smallRepeats, 1000, largeRepeats, rows -> {
      System.out.print(markdown(rows));
      System.out.flush();
    });
  }

  /** Parses {@code 11/22/44}. */
  static int[] parse(String widths) {
    String[] parts = widths.split("/");
    checkArgument(parts.length == 3, "widths must be three stage widths like 16/32/64, got '%s'",
        widths);
    return Arrays.stream(parts).mapToInt(Integer::parseInt).toArray();
  }

  /**
   * ResNet-20 with {@code w1}, {@code w2}, {@code w3} channels in its three stages: the topology of
   * {@code Architectures.resNet(20, height, width, channels, classes)}, which is the case 16, 32,
   * 64.
   */
  public static Architecture resNet20(int height, int width, int channels, int classes, int w1,
      int w2, int w3) {
    checkArgument(w1 >= 1 && w2 >= 1 && w3 >= 1, "widths must be >= 1, got %s/%s/%s", w1, w2, w3);
    Cnn.Builder b = Cnn.builder().input(height, width, channels)
        .conv2d(w1, 3, 1, Padding.SAME, false).batchNorm().relu();
    int[] filters = {w1, w2, w3};
    for (int stage = 0; stage < 3; stage++) {
      int f = filters[stage];
      for (int block = 0; block < 3; block++) {
        if (stage == 0 || block > 0) {
          b.residual(x -> block(x, f, 1));
        } else {
          b.residual(x -> block(x, f, 2), s -> s.conv2d(f, 1, 2, Padding.SAME, false).batchNorm());
        }
        b.relu();
      }
    }
    return b.globalAvgPool().dense(classes).softmax().architecture();
  }

  private static Cnn.Branch block(Cnn.Branch x, int filters, int stride) {
    return x.conv2d(filters, 3, stride, Padding.SAME, false).batchNorm().relu()
        .conv2d(filters, 3, 1, Padding.SAME, false).batchNorm();
  }

  /**
   * Times every width on {@code data}: {@code rounds} times, all networks at batch 1
   * ({@code smallRepeats} timed calls each after a fifth as many warm-up calls), then at
   * {@code largeBatch} ({@code largeRepeats} timed calls after 2 warm-up calls). The first width
   * is the reference of the ratios.
   *
   * @param afterEachRound receives the rows of the rounds done so far, after every round
   * @return the rows of all rounds
   */
  public static List<Row> run(Dataset data, List<int[]> widths, int rounds, int smallRepeats,
      int largeBatch, int largeRepeats, Consumer<List<Row>> afterEachRound) {
    checkArgument(!widths.isEmpty(), "give at least one width");
    checkArgument(rounds >= 1 && smallRepeats >= 1 && largeRepeats >= 1,
        "rounds and repeats must be >= 1, got %s, %s, %s", rounds, smallRepeats, largeRepeats);
    List<Cnn> models = new ArrayList<>();
    try {
      for (int[] w : widths) {
        models.add(Cnn.of(resNet20(data.height(), data.width(), data.channels(),
            data.numClasses(), w[0], w[1], w[2])));
      }
      int n = models.size();
      double[][] small = new double[n][rounds];
      double[][] large = new double[n][rounds];
      for (int r = 0; r < rounds; r++) {
        List<InferenceTimer.Timing> s = InferenceTimer.measure(models, data, 1,
            Math.max(1, smallRepeats / 5), smallRepeats);
        List<InferenceTimer.Timing> l = InferenceTimer.measure(models, data, largeBatch, 2,
            largeRepeats);
        for (int m = 0; m < n; m++) {
          small[m][r] = s.get(m).msPerExample();
          large[m][r] = l.get(m).msPerExample();
        }
        afterEachRound.accept(rows(widths, models, small, large, r + 1));
      }
      return rows(widths, models, small, large, rounds);
    } finally {
      models.forEach(Cnn::close);
    }
  }

  /** The rows of the first {@code done} rounds. */
  private static List<Row> rows(List<int[]> widths, List<Cnn> models, double[][] small,
      double[][] large, int done) {
    List<Row> rows = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      double[] smallMs = Arrays.copyOf(small[m], done);
      double[] largeMs = Arrays.copyOf(large[m], done);
      double[] smallRatio = new double[done];
      double[] largeRatio = new double[done];
      for (int r = 0; r < done; r++) {
        smallRatio[r] = small[0][r] / small[m][r];
        largeRatio[r] = large[0][r] / large[m][r];
      }
      rows.add(new Row(widths.get(m), Flops.perExample(models.get(m).architecture()),
          models.get(m).parameterCount(), median(smallMs), median(smallRatio), median(largeMs),
          median(largeRatio), Arrays.stream(largeRatio).min().orElseThrow(),
          Arrays.stream(largeRatio).max().orElseThrow()));
    }
    return rows;
  }

  /** The median of {@code values}; the mean of the middle two for an even count. */
  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The rows as a Markdown table. */
  public static String markdown(List<Row> rows) {
    StringBuilder out = new StringBuilder("| widths | multiply-adds / example | MACs vs first"
        + " | parameters | ms/example batch 1 | speed-up batch 1 | ms/example batch 1000"
        + " | speed-up batch 1000 (min-max over rounds) |\n"
        + "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT,
          "| %s | %,d | %.2f | %,d | %.3f | %.2f | %.4f | %.2f (%.2f-%.2f) |%n", r.label(), r.macs(),
          (double) r.macs() / rows.get(0).macs(), r.parameters(), r.smallMs(), r.smallRatio(),
          r.largeMs(), r.largeRatio(), r.largeRatioMin(), r.largeRatioMax()));
    }
    return out.toString();
  }
}
