package org.fwprune.core.eval;

/**
 * A model's quality on a data set, measured without dropout.
 *
 * @param accuracy fraction of examples whose highest-scoring class is the label, in [0, 1]
 * @param loss mean cross-entropy (natural log) over the examples
 * @param size number of examples evaluated
 */
public record Evaluation(double accuracy, double loss, int size) {

  @Override
  public String toString() {
    return String.format("Evaluation[accuracy=%.4f, loss=%.4f, size=%d]", accuracy, loss, size);
  }
}
