package org.fwprune.core;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.core.check.Require;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Padding;

/**
 * Ready-made architectures: the paper's CNN, the CIFAR-style ResNets of He et al. (2016) and a
 * small VGG-style network. Each returns a plain {@link Architecture} with seed 0; build it with
 * {@link Cnn#of(Architecture)}.
 */
public final class Architectures {

  private Architectures() {}

  /**
   * The network of "Projection-Free CNN Pruning via Frank-Wolfe with Momentum" on 28x28x1 inputs
   * (34,826 parameters); see {@link PaperNetwork}.
   */
  public static Architecture paperCnn() {
    return PaperNetwork.builder().architecture();
  }

  /**
   * The ResNet for small images of He et al. 2016 ("Deep Residual Learning for Image
   * Recognition", sec. 4.2): a 3x3 convolution with 16 filters, then three stages of {@code n}
   * basic blocks with 16, 32 and 64 filters, {@code depth = 6n + 2}; global average pooling and
   * a dense layer. A block is conv3x3-BatchNorm-ReLU-conv3x3-BatchNorm added to its shortcut, then
   * ReLU; the first block of stages 2 and 3 halves the resolution with stride 2 and uses a 1x1
   * strided projection shortcut with BatchNorm (the paper's option B), the others the identity.
   * Convolutions before a BatchNorm have no bias. ResNet-20 ({@code depth = 20}) has 272,474
   * trainable parameters at 10 classes on one input channel.
   *
   * @param depth 6n + 2 for n in [1, 100]: 8, 14, 20, 32, 44, 56, 110, ...
   * @param height input height, at least 4 (two halvings)
   * @param width input width, at least 4
   * @param channels input channels
   * @param classes number of classes, at least 2
   */
  public static Architecture resNet(int depth, int height, int width, int channels,
      int classes) {
    checkArgument(depth >= 8 && depth <= 602 && (depth - 2) % 6 == 0,
        "ResNet depth must be 6n + 2 with n in [1, 100] (8, 14, 20, 32, 44, 56, 110, ...), got %s",
        depth);
    checkArgument(height >= 4 && width >= 4,
        "ResNet inputs must be at least 4x4 (two stride-2 stages), got %sx%s", height, width);
    Require.inClosed("classes", classes, 2, LayerSpec.MAX_SIZE);
    int n = (depth - 2) / 6;
    Cnn.Builder b = Cnn.builder().input(height, width, channels)
        .conv2d(16, 3, 1, Padding.SAME, false).batchNorm().relu();
    int[] filters = {16, 32, 64};
    for (int stage = 0; stage < filters.length; stage++) {
      int f = filters[stage];
      for (int block = 0; block < n; block++) {
        int stride = stage > 0 && block == 0 ? 2 : 1;
        if (stride == 1) {
          b.residual(x -> basicBlock(x, f, 1));
        } else {
          b.residual(x -> basicBlock(x, f, stride),
              s -> s.conv2d(f, 1, stride, Padding.SAME, false).batchNorm());
        }
        b.relu();
      }
    }
    return b.globalAvgPool().dense(classes).softmax().architecture();
  }

  private static Cnn.Branch basicBlock(Cnn.Branch x, int filters, int stride) {
    return x.conv2d(filters, 3, stride, Padding.SAME, false).batchNorm().relu()
        .conv2d(filters, 3, 1, Padding.SAME, false).batchNorm();
  }

  /**
   * A VGG-style network for small images (Simonyan and Zisserman 2015, scaled down): three stages
   * of two 3x3 convolutions with BatchNorm and ReLU (32, 64 and 128 filters), each stage ending
   * in 2x2 max pooling, then global average pooling, dropout 0.3 and a dense layer.
   *
   * @param height input height, at least 8 (three halvings)
   * @param width input width, at least 8
   * @param channels input channels
   * @param classes number of classes, at least 2
   */
  public static Architecture vggSmall(int height, int width, int channels, int classes) {
    checkArgument(height >= 8 && width >= 8,
        "VGG inputs must be at least 8x8 (three poolings), got %sx%s", height, width);
    Require.inClosed("classes", classes, 2, LayerSpec.MAX_SIZE);
    Cnn.Builder b = Cnn.builder().input(height, width, channels);
    for (int f : new int[] {32, 64, 128}) {
      b.conv2d(f, 3, 1, Padding.SAME, false).batchNorm().relu()
          .conv2d(f, 3, 1, Padding.SAME, false).batchNorm().relu()
          .maxPool(2);
    }
    return b.globalAvgPool().dropout(0.3).dense(classes).softmax().architecture();
  }
}
