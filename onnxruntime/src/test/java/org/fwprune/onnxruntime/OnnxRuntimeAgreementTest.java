package org.fwprune.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.SparsityMeter;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.SelectionMethod;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX Runtime, running the file {@code Cnn.exportOnnx} wrote, reproduces the library's own
 * predictions ({@code Cnn.predict}) on a batch of images: ResNet-20 and the paper CNN at 28x28,
 * dense, 50% unstructured-pruned and structurally pruned to half their FLOPs, and two small
 * networks that between them hold every kind of layer. Tolerance: 1e-5 absolute on each output
 * (probabilities), the bound for ResNet-20; both sides compute in float32 with different
 * kernels, so bit equality is not expected.
 */
class OnnxRuntimeAgreementTest {

  /** Largest difference allowed between ONNX Runtime's and the library's outputs. */
  private static final float TOLERANCE = FloatAsserts.GRAPH_TOLERANCE;

  @TempDir
  Path dir;

  /** How a case turns the trained dense model into the model exported (the caller closes it). */
  private enum Variant {
    DENSE,
    UNSTRUCTURED_50,
    STRUCTURED_FLOPS_50
  }

  static Stream<Arguments> networks() {
    return Stream.of(
        Arguments.of("ResNet-20", (Function<Long, Cnn>) s -> Cnn.of(
            Architectures.resNet(20, 28, 28, 1, 10).withSeed(s)), 28, 1, 10),
        Arguments.of("paper CNN", (Function<Long, Cnn>) SyntheticData::paperCnn, 28, 1, 10));
  }

  static Stream<Arguments> cases() {
    return networks().flatMap(n -> Arrays.stream(Variant.values())
        .map(v -> Arguments.of(n.get()[0], n.get()[1], n.get()[2], n.get()[3], n.get()[4], v)));
  }

  @ParameterizedTest(name = "{0}, {5}")
  @MethodSource("cases")
  void onnxRuntime_reproducesThePredictions(String name, Function<Long, Cnn> network, int side,
      int channels, int classes, Variant variant) throws Exception {
    Dataset train = images(256, side, channels, classes, 7);
    try (Cnn dense = trained(network.apply(3L), train)) {
      switch (variant) {
        case DENSE -> assertAgrees(dense, train);
        case UNSTRUCTURED_50 -> {
          MagnitudePruner.builder().targetSparsity(0.5).mode(MagnitudePruner.Mode.ONE_SHOT)
              .steps(0).batchNormRecalibration(dense.architecture().hasBatchNorm() ? 2 : 0)
              .build().prune(dense, train);
          assertEquals(0.5, SparsityMeter.overall(SparsityMeter.measure(dense)), 1e-3,
              "half the kernel entries are zero");
          assertAgrees(dense, train);
        }
        case STRUCTURED_FLOPS_50 -> {
          try (StructuredResult smaller = StructuredPruner.builder()
              .selection(SelectionMethod.L1_NORM).keep(KeepRule.uniformFlops(0.5)).fineTuneSteps(0)
              .accuracySubset(64)
              .batchNormRecalibration(dense.architecture().hasBatchNorm() ? 2 : 0)
              .build().prune(dense, train)) {
            assertTrue(smaller.model().parameterCount() < dense.parameterCount(),
                smaller.toString());
            assertAgrees(smaller.model(), train);
          }
        }
        default -> throw new AssertionError(variant);
      }
    }
  }

  static Stream<Arguments> everyKind() {
    return Stream.of(
        Arguments.of("every layer kind", (Function<Long, Cnn>) SyntheticData::everyLayerKind,
            12, 2, 3),
        Arguments.of("global pooling, odd SAME padding",
            (Function<Long, Cnn>) SyntheticData::globalPooled, 9, 3, 4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyKind")
  void onnxRuntime_reproducesEveryLayerKind(String name, Function<Long, Cnn> network, int side,
      int channels, int classes) throws Exception {
    Dataset train = images(128, side, channels, classes, 11);
    try (Cnn model = trained(network.apply(5L), train)) {
      assertAgrees(model, train);
    }
  }

  /** A few training steps, so that the weights and BatchNorm statistics leave their initial values. */
  private static Cnn trained(Cnn model, Dataset train) {
    model.fit(train, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9)).steps(6)
        .batchSize(32).seed(1).batchNormRecalibration(0).build());
    return model;
  }

  /** Exports, runs the first 16 images as one batch in ONNX Runtime, compares with predict. */
  private void assertAgrees(Cnn model, Dataset data) throws IOException, OrtException {
    Dataset batch = data.subset(0, 16);
    Path file = dir.resolve("model.onnx");
    model.exportOnnx(file);
    float[][] expected = model.predict(batch);
    float[][] actual = OrtRuns.run(file, batch);
    assertEquals(expected.length, actual.length);
    float largest = 0;
    for (int i = 0; i < expected.length; i++) {
      FloatAsserts.assertClose(expected[i], actual[i], TOLERANCE);
      for (int j = 0; j < expected[i].length; j++) {
        largest = Math.max(largest, Math.abs(expected[i][j] - actual[i][j]));
      }
    }
    // Not vacuous: the outputs vary between images by far more than the tolerance, so a wrong
    // layout or weight order could not pass.
    float spread = 0;
    for (int j = 0; j < expected[0].length; j++) {
      spread = Math.max(spread, Math.abs(expected[0][j] - expected[1][j]));
    }
    assertTrue(spread > 100 * TOLERANCE, "outputs of two images differ by only " + spread);
    System.out.printf("%s: largest difference %.2e, spread between images %.2e%n",
        model, largest, spread);
  }

  /** {@code n} images of uniform noise in [0, 1) with random labels. */
  private static Dataset images(int n, int side, int channels, int classes, long seed) {
    Random random = new Random(seed);
    float[] pixels = new float[n * side * side * channels];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    int[] labels = random.ints(n, 0, classes).toArray();
    return Dataset.of(pixels, labels, side, side, channels, classes);
  }
}
