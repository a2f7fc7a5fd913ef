package org.fwprune.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.PaperNetwork;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Padding;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;

/** Small data sets and models for fast tests, shared with other modules through the test jar. */
public final class SyntheticData {

  private SyntheticData() {}

  /**
   * {@code n} grey {@code side x side} images in {@code classes} classes: class c has a bright
   * horizontal bar in band c of the image plus uniform noise, so a small CNN learns it in a few
   * hundred steps.
   */
  public static Dataset bars(int n, int side, int classes, long seed) {
    Random random = new Random(seed);
    float[] images = new float[n * side * side];
    int[] labels = new int[n];
    int band = side / classes;
    for (int i = 0; i < n; i++) {
      int c = random.nextInt(classes);
      labels[i] = c;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          float noise = 0.3f * random.nextFloat();
          boolean bar = y >= c * band && y < (c + 1) * band;
          images[(i * side + y) * side + x] = bar ? 0.7f + noise : noise;
        }
      }
    }
    return Dataset.of(images, labels, side, side, 1, classes);
  }

  /**
   * A ResNet-8 for 8x8x1 images in 4 classes ({@code Architectures.resNet(8, 8, 8, 1, 4)}) after
   * six SGD-with-momentum steps on {@code train}, so that its BatchNorm moving statistics have left
   * their initial values. The caller closes it.
   */
  public static Cnn trainedResNet8(Dataset train) {
    Cnn model = Cnn.of(Architectures.resNet(8, 8, 8, 1, 4));
    model.fit(train, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9)).steps(6)
        .batchSize(32).seed(1).build());
    return model;
  }

  /**
   * 64 images of 8x8 pixels all equal to 1e20 in 4 classes: a linear classifier on them
   * overflows its logits within two SGD steps, which tests divergence handling.
   */
  public static Dataset exploding() {
    return uniform(1e20f);
  }

  /** 64 images of 8x8 pixels all equal to {@code pixel}, labelled 0, 1, 2, 3, 0, ... */
  public static Dataset uniform(float pixel) {
    float[] images = new float[64 * 64];
    java.util.Arrays.fill(images, pixel);
    int[] labels = new int[64];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 4;
    }
    return Dataset.of(images, labels, 8, 8, 1, 4);
  }

  /** A linear softmax classifier on 8x8x1 inputs with 4 classes. */
  public static Cnn linear() {
    return Cnn.builder().input(8, 8, 1).flatten().dense(4).softmax().build();
  }

  /** A small CNN for {@code side x side x 1} inputs: conv, relu, pool, flatten, dropout, dense, softmax. */
  public static Cnn smallCnn(int side, int classes, long seed) {
    return Cnn.builder()
        .input(side, side, 1)
        .conv2d(4, 3).relu().maxPool(2)
        .flatten().dropout(0.25)
        .dense(classes).softmax()
        .seed(seed)
        .build();
  }

  /**
   * Saves an untrained {@code smallCnn(8, 4, 1)} to {@code dir} and returns {@code dir}: a model
   * folder for tests that damage or rewrite one.
   */
  public static Path savedSmallCnn(Path dir) throws IOException {
    try (Cnn model = smallCnn(8, 4, 1)) {
      model.save(dir);
    }
    return dir;
  }

  /**
   * Every kind of layer at least once on 12x12x2 inputs: convolutions with SAME and VALID padding,
   * with and without bias and strided, BatchNorm on images and on vectors, ReLU, a residual add
   * with a projection shortcut, both poolings, flatten, a dense layer without and one with bias,
   * dropout and softmax; a second branch ends in global average pooling, so the exporters' and
   * runtimes' tests cover the whole {@code LayerSpec.Visitor}.
   */
  public static Cnn everyLayerKind(long seed) {
    return Cnn.builder().input(12, 12, 2)
        .conv2d(4, 3, 1, Padding.SAME, false).batchNorm().relu()
        .residual(b -> b.conv2d(4, 3, 1, Padding.SAME, true).relu(),
            s -> s.conv2d(4, 1, 1, Padding.SAME, true))
        .maxPool(2)
        .conv2d(6, 3, 1, Padding.VALID, true).avgPool(2)
        .flatten().dense(8, false).batchNorm().dropout(0.5).dense(3).softmax()
        .seed(seed).build();
  }

  /**
   * A small network ending in global average pooling after a strided SAME convolution, the
   * ResNet tail, on 9x9x3 inputs (odd sides, so SAME padding is uneven).
   */
  public static Cnn globalPooled(long seed) {
    return Cnn.builder().input(9, 9, 3)
        .conv2d(5, 3, 2, Padding.SAME, true).relu()
        .globalAvgPool().dense(4).softmax()
        .seed(seed).build();
  }

  /** The paper's network (34,826 parameters). */
  public static Cnn paperCnn(long seed) {
    return PaperNetwork.builder().seed(seed).build();
  }

  /** The shared MNIST folder if this checkout sits next to it. */
  public static Optional<Path> mnistFolder() {
    for (String candidate : new String[] {"../shared/datasets/mnist", "../../shared/datasets/mnist",
        "../../../shared/datasets/mnist"}) {
      Path p = Path.of(candidate);
      if (Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
