package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.serving.Predictor;

/**
 * Measured inference time of a network with one channel group narrowed at a time: for every
 * prunable group ({@link ChannelGroups#prunable()}) and every width of {@link #widths}, the median
 * seconds per example of the whole network with that group at that width and every other group
 * whole. It is the per-layer lookup table of NetAdapt (Yang et al., ECCV 2018), with whole-network
 * timings so that the BatchNorm, ReLU and residual adds a group's width also decides are counted;
 * the allocation of {@link KeepRule#flops(double)} assumes the savings of different groups add up.
 *
 * <p>Measure one with {@link #measure}, or give one with {@link #of} (for example from an earlier
 * {@link StructuredResult#latency()} of the same architecture, or made up for a deterministic
 * test). Immutable.
 */
public final class LatencyTable {

  /**
   * Widths below a group's size are multiples of this: TensorFlow's CPU convolutions (oneDNN) and
   * ONNX Runtime's work on blocks of 8 floats with AVX2, so other counts cost what the next
   * multiple does (docs/structured.md, "Channel counts and speed").
   */
  public static final int WIDTH_STEP = 8;
  /** Warm-up calls per network before the timed ones in {@link #measure}. */
  public static final int WARMUP = 2;

  private final int batchSize;
  private final ImmutableMap<String, ImmutableSortedMap<Integer, Double>> seconds;
  private final double measurementSeconds;

  private LatencyTable(int batchSize, Map<String, ? extends Map<Integer, Double>> seconds,
      double measurementSeconds) {
    this.batchSize = Require.inClosed("latency batch size", batchSize, 1, 65_536);
    checkArgument(seconds != null && !seconds.isEmpty(),
        "a latency table needs at least one group, got %s", seconds);
    ImmutableMap.Builder<String, ImmutableSortedMap<Integer, Double>> b = ImmutableMap.builder();
    seconds.forEach((group, byWidth) -> {
      checkArgument(group != null && byWidth != null && !byWidth.isEmpty(),
          "latency table group %s needs at least one width", group);
      byWidth.forEach((w, s) -> checkArgument(w != null && w >= 1 && s != null
          && Double.isFinite(s) && s >= 0, "latency table group %s: widths must be >= 1 and"
          + " seconds finite and >= 0, got %s -> %s", group, w, s));
      b.put(group, ImmutableSortedMap.copyOf(byWidth));
    });
    this.seconds = b.build();
    this.measurementSeconds = measurementSeconds;
  }

  /**
   * A table given by the caller.
   *
   * @param batchSize examples per call the times were taken at, in [1, 65536]; informative
   * @param secondsPerExample per group name, per width: seconds per example of the network with
   *     that group at that width and the others whole; each group needs its full width and
   *     every width of {@link #widths} below it that the allocation may choose
   */
  public static LatencyTable of(int batchSize,
      Map<String, ? extends Map<Integer, Double>> secondsPerExample) {
    return new LatencyTable(batchSize, secondsPerExample, 0);
  }

  /**
   * Times {@code model}'s architecture, random weights (time does not depend on them), for every
   * prunable group at every width of {@link #widths}: per group, the whole network and each
   * narrowed copy take turns call by call ({@link #WARMUP} untimed then {@code repeats} timed
   * calls each), and a narrowed copy's time is the whole network's median times the median of
   * their ratio within each round, so that load drifting between rounds cancels. Batch 1 runs on {@link Cnn#predictor()} (ONNX
   * Runtime when fwprune-onnxruntime is on the class path), larger batches on
   * {@link Cnn#predict}, both with the model's execution options.
   *
   * <p>Cost: one network per (group, width), each called {@code (WARMUP + repeats)} times at
   * {@code batchSize} examples. For ResNet-20 on 28x28 images that is 56 networks; at batch 128
   * and 5 repeats about 40 s on two idle cores (see {@link #measurementSeconds()}).
   *
   * @param batchSize examples per timed call, in [1, 65536]
   * @param repeats timed calls per network, in [1, 1000]
   */
  public static LatencyTable measure(Cnn model, int batchSize, int repeats) {
    checkArgument(model != null, "model must not be null");
    Require.inClosed("latency batch size", batchSize, 1, 65_536);
    Require.inClosed("latency repeats", repeats, 1, 1000);
    long start = System.nanoTime();
    Architecture a = model.architecture();
    Dataset batch = randomBatch(a, batchSize);
    Map<String, Map<Integer, Double>> out = new LinkedHashMap<>();
    for (ChannelGroups.Group g : ChannelGroups.of(a).prunable()) {
      List<Integer> widths = widths(g.channels());
      List<Architecture> variants = new ArrayList<>();
      for (int w : widths) {
        variants.add(w == g.channels() ? a : FilterSurgery.shrink(a, Map.of(g.name(), w)));
      }
      List<Double> medians = time(model, variants, batch, repeats);
      Map<Integer, Double> byWidth = new LinkedHashMap<>();
      for (int i = 0; i < widths.size(); i++) {
        byWidth.put(widths.get(i), medians.get(i) / batchSize);
      }
      out.put(g.name(), byWidth);
    }
    return new LatencyTable(batchSize, out, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Seconds per call of each architecture, all built at once and timed in turn call by call. The
   * last one is the whole network; each other one's time is the whole network's median times the
   * median over rounds of their ratio within the round, so that load which drifts between rounds
   * (this machine is shared) moves both sides of a ratio alike.
   */
  private static List<Double> time(Cnn model, List<Architecture> variants, Dataset batch,
      int repeats) {
    List<Cnn> nets = new ArrayList<>();
    List<Predictor> predictors = new ArrayList<>();
    try {
      List<Runnable> bodies = new ArrayList<>();
      for (Architecture v : variants) {
        Cnn net = Cnn.of(v, model.executionOptions());
        nets.add(net);
        if (batch.size() == 1) {
          Predictor p = net.predictor();
          predictors.add(p);
          float[] image = batch.image(0);
          bodies.add(() -> p.predict(image));
        } else {
          bodies.add(() -> net.predict(batch));
        }
      }
      int n = bodies.size();
      double[][] seconds = new double[n][repeats];
      for (int i = 0; i < WARMUP + repeats; i++) {
        for (int j = 0; j < n; j++) {
          // Each round starts with the next network, as MedianTimer.alternate does.
          int b = (i + j) % n;
          long start = System.nanoTime();
          bodies.get(b).run();
          if (i >= WARMUP) {
            seconds[b][i - WARMUP] = (System.nanoTime() - start) / 1e9;
          }
        }
      }
      double whole = median(seconds[n - 1]);
      List<Double> out = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        double[] ratio = new double[repeats];
        for (int i = 0; i < repeats; i++) {
          ratio[i] = seconds[j][i] / seconds[n - 1][i];
        }
        out.add(whole * median(ratio));
      }
      return out;
    } finally {
      predictors.forEach(Predictor::close);
      nets.forEach(Cnn::close);
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static Dataset randomBatch(Architecture a, int n) {
    Random random = new Random(0);
    float[] images = new float[n * a.height() * a.width() * a.channels()];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    return Dataset.of(images, new int[n], a.height(), a.width(), a.channels(), a.numClasses());
  }

  /**
   * The widths a group of {@code channels} channels may keep, ascending: the multiples of
   * {@link #WIDTH_STEP} below it, and {@code channels} itself; a group of fewer than
   * {@code 2 WIDTH_STEP} channels, which would have at most one smaller width, may keep any count
   * from 1, so that small networks can still meet a budget.
   */
  public static List<Integer> widths(int channels) {
    Require.inClosed("channels", channels, 1, Integer.MAX_VALUE);
    List<Integer> out = new ArrayList<>();
    int step = channels < 2 * WIDTH_STEP ? 1 : WIDTH_STEP;
    for (int w = step; w < channels; w += step) {
      out.add(w);
    }
    out.add(channels);
    return List.copyOf(out);
  }

  /** Examples per call the times were taken at. */
  public int batchSize() {
    return batchSize;
  }

  /** Per group, per width (ascending), seconds per example; unmodifiable. */
  public Map<String, SortedMap<Integer, Double>> secondsPerExample() {
    return ImmutableMap.copyOf(seconds);
  }

  /** Wall seconds {@link #measure} took; 0 for a table given with {@link #of}. */
  public double measurementSeconds() {
    return measurementSeconds;
  }

  /**
   * Checks that the table has, for every group, its full width and every width of
   * {@link #widths} below it.
   *
   * @throws IllegalArgumentException naming the first group or width missing
   */
  void checkCovers(List<ChannelGroups.Group> groups) {
    for (ChannelGroups.Group g : groups) {
      SortedMap<Integer, Double> byWidth = seconds.get(g.name());
      checkArgument(byWidth != null, "the latency table has no entry for channel group %s; it"
          + " has %s (was it measured on another architecture?)", g.name(), seconds.keySet());
      List<Integer> missing = widths(g.channels()).stream()
          .filter(w -> !byWidth.containsKey(w)).toList();
      checkArgument(missing.isEmpty(), "the latency table's entry for channel group %s (%s"
          + " channels) lacks widths %s; it needs %s", g.name(), g.channels(), missing,
          widths(g.channels()));
    }
  }

  /**
   * Seconds per example that narrowing {@code group} from {@code channels} to {@code width}
   * saves: the slope of the least-squares line through the group's times against width (at least
   * 0) times the channels removed. A line rather than the two entries' difference, because one
   * width step of a late, low-resolution group saves less than the timing noise of a shared
   * machine, while the line through all its widths averages that noise out; over multiples of 8
   * the measured times are close to linear in the width (docs/structured.md). A group with one
   * width saves nothing.
   */
  double saved(String group, int channels, int width) {
    SortedMap<Integer, Double> byWidth = seconds.get(group);
    List<Integer> widths = widths(channels).stream().filter(byWidth::containsKey).toList();
    if (width >= channels || widths.size() < 2) {
      return 0;
    }
    double meanX = widths.stream().mapToDouble(Integer::doubleValue).average().orElseThrow();
    double meanY = widths.stream().mapToDouble(byWidth::get).average().orElseThrow();
    double covariance = 0;
    double variance = 0;
    for (int w : widths) {
      covariance += (w - meanX) * (byWidth.get(w) - meanY);
      variance += (w - meanX) * (w - meanX);
    }
    return Math.max(0, covariance / variance) * (channels - width);
  }

  /**
   * Seconds per example this table predicts for the network whose groups, of {@code channels}
   * channels each, keep {@code counts} (groups absent keep all): the mean of the whole network's
   * times less the sum of the groups' savings.
   */
  double predictedSeconds(Map<String, Integer> channels, Map<String, Integer> counts) {
    double whole = channels.entrySet().stream()
        .mapToDouble(e -> seconds.get(e.getKey()).get(e.getValue())).average().orElse(0);
    double saved = 0;
    for (Map.Entry<String, Integer> e : channels.entrySet()) {
      saved += saved(e.getKey(), e.getValue(), counts.getOrDefault(e.getKey(), e.getValue()));
    }
    return whole - saved;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "latency table at batch %d (measured in %.1f s), ms per example by width:%n", batchSize,
        measurementSeconds));
    seconds.forEach((group, byWidth) -> {
      sb.append(String.format(Locale.ROOT, "  %-12s", group));
      byWidth.forEach((w, s) -> sb.append(String.format(Locale.ROOT, " %d:%.4f", w, s * 1e3)));
      sb.append(System.lineSeparator());
    });
    return sb.toString();
  }
}
