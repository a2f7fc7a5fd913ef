package org.fwprune.core.eval;

/**
 * A model's quality on a data set, measured without dropout.
 *
 * @param accuracy fraction of examples whose highest-scoring class is the label, in [0, 1]
 * @param loss mean cross-entropy (natural log) over the examples
 * @param size number of examples evaluated
 */
public record Evaluation(double accuracy, double loss, int size) {

  /**
   * Examples that evaluation and prediction ({@code Cnn.evaluate}, {@code Cnn.predict}) run in
   * one session call; a larger data set is split into batches of this size.
   */
  public static final int BATCH_SIZE = 1000;

  @Override
  public String toString() {
    return String.format("Evaluation[accuracy=%.4f, loss=%.4f, size=%d]", accuracy, loss, size);
  }
}
