package org.fwprune.core.model;

/**
 * The network of "Projection-Free CNN Pruning via Frank-Wolfe with Momentum": conv32 3x3 ReLU,
 * maxpool 2, conv64 3x3 ReLU, maxpool 2, flatten, dropout 0.5, dense 10 softmax, on 28x28x1
 * inputs (34,826 parameters).
 */
public final class PaperNetwork {

  /** Its parameter count. */
  public static final long PARAMETERS = 34_826;

  private PaperNetwork() {}

  /** A builder holding the paper's layers; set a seed or threads, then {@code build()}. */
  public static Cnn.Builder builder() {
    return Cnn.builder()
        .input(28, 28, 1)
        .conv2d(32, 3).relu().maxPool(2)
        .conv2d(64, 3).relu().maxPool(2)
        .flatten().dropout(0.5)
        .dense(10).softmax();
  }
}
