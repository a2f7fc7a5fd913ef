package org.fwprune.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;

/**
 * Measures inference time as a user sees it: the median wall time of repeated {@link
 * BatchPredictor#predict} calls (a {@code Cnn} is a batch predictor) on batches of a fixed size,
 * after warm-up (the JVM and TensorFlow need a few hundred calls before timings settle). Several
 * models are timed in alternation by {@link MedianTimer}.
 */
public final class InferenceTimer {

  /**
   * One model's timing.
   *
   * @param batchSize examples per {@code predict} call
   * @param medianSeconds median wall time of one call
   * @param repeats timed calls
   */
  public record Timing(int batchSize, double medianSeconds, int repeats) {
    /** Median milliseconds per example. */
    public double msPerExample() {
      return 1000 * medianSeconds / batchSize;
    }
  }

  private InferenceTimer() {}

  /** Times one model; see {@link #measure(List, Dataset, int, int, int)}. */
  public static Timing measure(BatchPredictor model, Dataset data, int batchSize, int warmup,
      int repeats) {
    return measure(List.of(model), data, batchSize, warmup, repeats).get(0);
  }

  /**
   * Times each model on batches of {@code batchSize} consecutive examples of {@code data} (cycling
   * through it), {@code warmup} untimed calls then {@code repeats} timed calls per model, the
   * models taking turns.
   *
   * @param batchSize in [1, {@value Evaluation#BATCH_SIZE}] (a larger batch would be split
   *     by {@code predict}) and at most {@code data.size()}
   * @param warmup untimed calls per model, in [0, 1e6]
   * @param repeats timed calls per model, in [1, 1e6]
   */
  public static List<Timing> measure(List<? extends BatchPredictor> models, Dataset data,
      int batchSize, int warmup, int repeats) {
    checkArgument(models != null && !models.isEmpty(), "models must not be empty");
    checkArgument(data != null && data.size() > 0, "data must be a non-empty data set");
    Require.inClosed("batchSize", batchSize, 1,
        Math.min(Evaluation.BATCH_SIZE, data.size()));
    int batches = data.size() / batchSize;
    List<Dataset> inputs = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      inputs.add(data.subset(b * batchSize, (b + 1) * batchSize));
    }
    // Every model of a round gets the same input; the rounds cycle through the batches.
    int[] round = {0};
    List<Runnable> bodies = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      BatchPredictor model = models.get(m);
      bodies.add(() -> model.predict(inputs.get(round[0]++ / models.size() % batches)));
    }
    List<Double> medians = MedianTimer.alternate(bodies, warmup, repeats);
    List<Timing> out = new ArrayList<>();
    for (double median : medians) {
      out.add(new Timing(batchSize, median, repeats));
    }
    return out;
  }
}
