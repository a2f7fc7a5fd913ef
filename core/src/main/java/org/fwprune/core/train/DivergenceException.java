package org.fwprune.core.train;

/**
 * Thrown when training produces a non-finite loss (usually a learning rate that is too high). The
 * step that diverged applied no update, so the model keeps its last finite weights.
 */
public final class DivergenceException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final long step;

  /**
   * Creates the exception.
   *
   * @param what the activity, e.g. "training"
   * @param epoch 1-based epoch
   * @param step 1-based step within the whole run
   * @param loss the offending loss value
   */
  public DivergenceException(String what, int epoch, long step, double loss) {
    super(String.format("%s diverged at epoch %d, step %d: loss is %s; lower the learning rate"
        + " (the model keeps its last finite weights)", what, epoch, step, loss));
    this.epoch = epoch;
    this.step = step;
  }

  /** 1-based epoch of the divergence. */
  public int epoch() {
    return epoch;
  }

  /** 1-based step (counted over the whole run) of the divergence. */
  public long step() {
    return step;
  }
}
