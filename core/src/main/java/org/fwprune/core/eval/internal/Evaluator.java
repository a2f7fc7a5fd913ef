package org.fwprune.core.eval.internal;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.stream.IntStream;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;

/**
 * Computes accuracy and mean loss of a model on a data set in large batches. Safe to call from
 * several threads at once on one model: each call owns its input tensors.
 */
public final class Evaluator {

  /** Examples per session run when evaluating: {@link Evaluation#BATCH_SIZE}. */
  public static final int DEFAULT_BATCH_SIZE = Evaluation.BATCH_SIZE;

  private Evaluator() {}

  /** Evaluates with {@link #DEFAULT_BATCH_SIZE}. */
  public static Evaluation evaluate(ModelGraph graph, Dataset data) {
    return evaluate(graph, data, DEFAULT_BATCH_SIZE);
  }

  /** Evaluates {@code data} in batches of {@code batchSize} examples. */
  public static Evaluation evaluate(ModelGraph graph, Dataset data, int batchSize) {
    checkArgument(batchSize >= 1, "batchSize must be at least 1, got %s", batchSize);
    checkArgument(data.size() > 0, "cannot evaluate an empty data set");
    graph.checkCompatible(data, "evaluation data");
    int n = data.size();
    int size = Math.min(batchSize, n);
    int[] order = IntStream.range(0, n).toArray();
    double lossSum = 0;
    double correct = 0;
    try (InputBatch batch = new InputBatch(size, data.height(), data.width(), data.channels())) {
      for (int start = 0; start < n; start += size) {
        int count = Math.min(size, n - start);
        batch.fill(data, order, start, count);
        float[] r = graph.run(batch, List.of(), List.of(graph.lossSum(), graph.correct()));
        lossSum += r[0];
        correct += r[1];
      }
    }
    return new Evaluation(correct / n, lossSum / n, n);
  }

  /** Returns the model's output rows (probabilities with a final softmax) for every example. */
  public static float[][] predict(ModelGraph graph, Dataset data, int batchSize) {
    checkArgument(batchSize >= 1, "batchSize must be at least 1, got %s", batchSize);
    graph.checkCompatible(data, "prediction data");
    int n = data.size();
    int classes = graph.architecture().numClasses();
    float[][] out = new float[n][classes];
    int size = Math.max(1, Math.min(batchSize, n));
    int[] order = IntStream.range(0, n).toArray();
    try (InputBatch batch = new InputBatch(size, data.height(), data.width(), data.channels())) {
      for (int start = 0; start < n; start += size) {
        int count = Math.min(size, n - start);
        batch.fill(data, order, start, count);
        float[] flat = graph.predict(batch);
        for (int i = 0; i < count; i++) {
          System.arraycopy(flat, i * classes, out[start + i], 0, classes);
        }
      }
    }
    return out;
  }
}
