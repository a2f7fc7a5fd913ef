package org.fwprune.core;

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
    return builder(28, 28, 1, 10);
  }

  /**
   * The paper's layers for other images: {@code height x width x channels} inputs (at least
   * 10x10, which two 3x3 convolutions and two 2x2 poolings need) and {@code classes} outputs.
   */
  public static Cnn.Builder builder(int height, int width, int channels, int classes) {
    return Cnn.builder()
        .input(height, width, channels)
        .conv2d(32, 3).relu().maxPool(2)
        .conv2d(64, 3).relu().maxPool(2)
        .flatten().dropout(0.5)
        .dense(classes).softmax();
  }
}
