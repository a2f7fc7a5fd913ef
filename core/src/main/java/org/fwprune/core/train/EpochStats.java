package org.fwprune.core.train;

/**
 * What one training epoch measured. Training loss and accuracy are means over the epoch's batches
 * with dropout active (as Keras reports them); validation figures are NaN without a validation set.
 *
 * @param epoch 1-based epoch number
 * @param steps optimizer steps taken in the epoch
 * @param loss mean training cross-entropy
 * @param accuracy training accuracy in [0, 1]
 * @param seconds wall time of the epoch's training steps
 * @param validationLoss mean validation cross-entropy, or NaN
 * @param validationAccuracy validation accuracy, or NaN
 */
public record EpochStats(int epoch, int steps, double loss, double accuracy, double seconds,
    double validationLoss, double validationAccuracy) {

  /** Examples per second of the epoch's training steps. */
  public double imagesPerSecond(int batchSize) {
    return steps * (double) batchSize / seconds;
  }
}
