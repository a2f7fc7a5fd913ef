package org.fwprune.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.testing.KerasFixtures;
import org.fwprune.pruning.sfw.SfwTrainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unstructured pruning of every Keras Applications miniature (issue 28): both pruners and SFW
 * training followed by a one-shot prune mask every kernel (plain, depthwise, pointwise, dense on
 * images) and nothing else, and reach the target. The miniatures are core's test resources, read
 * from the source tree.
 */
class KerasFamiliesPruningTest {

  static Iterable<String> families() {
    return KerasFixtures.FAMILIES;
  }

  private static Cnn load(String family) throws IOException {
    return Cnn.loadKeras(KerasFixtures.FAMILIES_IN_SOURCE_TREE.resolve(family + ".keras"));
  }

  /** 16 images of uniform pixels in [0, 1) at the model's input size, random labels. */
  private static Dataset images(Architecture a) {
    Random random = new Random(3);
    float[] pixels = new float[16 * a.height() * a.width() * a.channels()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    int[] labels = random.ints(16, 0, a.numClasses()).toArray();
    return Dataset.of(pixels, labels, a.height(), a.width(), a.channels(), a.numClasses());
  }

  /** The parameter keys of every layer with a kernel: the tensors a pruner may mask. */
  private static Set<String> kernelKeys(Architecture a) {
    return a.resolvedLayers().stream().filter(l -> l.spec().hasKernel()).map(Layer::kernelKey)
        .collect(Collectors.toSet());
  }

  private static void assertKernelsPrunedToHalf(Cnn model, String what) {
    assertEquals(kernelKeys(model.architecture()), model.masks().keySet(), what);
    // Tolerance: one global threshold over float kernels, ties aside.
    assertEquals(0.5, SparsityMeter.overall(SparsityMeter.measure(model)), 0.01, what);
  }

  /**
   * One-shot magnitude pruning to 50% with no training masks exactly the kernels and leaves every
   * other tensor (BatchNorm, LayerNormalization, LayerScale, Normalization, PReLU, biases) as it
   * was, bit for bit. BatchNorm re-estimation is off here: it would change the moving statistics
   * by design, and the tests below do not need it either, which keeps them fast.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void magnitudePruner_family_masksEveryKernelAndNoOtherTensor(String family) throws IOException {
    try (Cnn model = load(family)) {
      Map<String, float[]> before = model.parameters();
      MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT).steps(0).targetSparsity(0.5)
          .batchNormRecalibration(0).build().prune(model, images(model.architecture()));
      assertKernelsPrunedToHalf(model, family);
      Set<String> kernels = kernelKeys(model.architecture());
      model.parameters().forEach((key, values) -> {
        if (!kernels.contains(key)) {
          assertArrayEquals(before.get(key), values, key);
        }
      });
    }
  }

  /** Frank-Wolfe pruning (2 steps, momentum 0.9) reaches 50% over exactly the kernels. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void fwPruner_family_reachesTargetOverEveryKernel(String family) throws IOException {
    try (Cnn model = load(family)) {
      FwPruner.builder().momentum(0.9).targetSparsity(0.5).steps(2).batchSize(8).seed(1)
          .batchNormRecalibration(0).build().prune(model, images(model.architecture()));
      assertKernelsPrunedToHalf(model, family);
    }
  }

  /**
   * SFW training (one epoch of 2 batches) then a one-shot prune reaches 50% over exactly the
   * kernels, and the pruned network's outputs are finite.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void sfwTrainer_family_trainsThenPrunesToTarget(String family) throws IOException {
    try (Cnn model = load(family)) {
      Dataset data = images(model.architecture());
      SfwTrainer.builder().epochs(1).batchSize(8).seed(1).batchNormRecalibration(0).build()
          .fit(model, data);
      MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT).steps(0).targetSparsity(0.5)
          .batchNormRecalibration(0).build().prune(model, data);
      assertKernelsPrunedToHalf(model, family);
      for (float[] row : model.predict(data)) {
        for (float v : row) {
          assertTrue(Float.isFinite(v), family + " predicts " + v);
        }
      }
    }
  }
}
