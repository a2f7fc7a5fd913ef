package org.fwprune.pruning.structured;

import static org.fwprune.core.testing.FloatAsserts.GRAPH_TOLERANCE;
import static org.fwprune.core.testing.FloatAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fwprune.core.Cnn;
import org.fwprune.core.PaperNetwork;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class FilterSurgeryTest {

  private static final Dataset IMAGES = Models.randomImages(40, 10, 2, 3, 7);

  @TempDir
  Path tmp;

  @Test
  void prunableLayers_paperNetwork_areBothConvsNotTheOutputLayer() {
    try (Cnn model = PaperNetwork.builder().build()) {
      assertEquals(List.of("conv2d_1", "conv2d_2"),
          FilterSurgery.prunableLayers(model.architecture()).stream().map(Layer::name).toList());
    }
  }

  @Test
  void prunableLayers_hiddenDense_isIncluded() {
    try (Cnn model = Models.mixed(0)) {
      assertEquals(List.of("conv2d_1", "conv2d_2", "dense_1"),
          FilterSurgery.prunableLayers(model.architecture()).stream().map(Layer::name).toList());
    }
  }

  @Test
  void shrink_keptFilters_givesSmallerArchitectureAndParameterCount() {
    try (Cnn model = Models.mixed(0); Cnn small = FilterSurgery.shrink(model, Models.mixedKept())) {
      List<LayerSpec> specs = small.architecture().layers();
      assertEquals(new LayerSpec.Conv2d(3, 3, 1, org.fwprune.core.model.Padding.VALID),
          specs.get(0));
      assertEquals(new LayerSpec.Conv2d(2, 3, 1, org.fwprune.core.model.Padding.SAME),
          specs.get(2));
      assertEquals(new LayerSpec.Dense(3), specs.get(7));
      assertEquals(new LayerSpec.Dense(3), specs.get(9));
      // Hand count: 980 before (114 + 275 + 567 + 24); after: conv 3*3*2*3+3 = 57,
      // conv 3*3*3*2+2 = 56, dense (4*4*2)*3+3 = 99, dense 3*3+3 = 12.
      assertEquals(980, model.parameterCount());
      assertEquals(57 + 56 + 99 + 12, small.parameterCount());
      assertEquals(model.architecture().seed(), small.architecture().seed());
    }
  }

  @Test
  void shrink_predictions_equalOriginalWithRemovedFiltersZeroed() {
    try (Cnn model = Models.mixed(3)) {
      Models.randomBiases(model, 4);
      try (Cnn small = FilterSurgery.shrink(model, Models.mixedKept());
          Cnn zeroed = Models.zeroedCopy(model, Models.mixedKept(), Map.of())) {
        Models.assertSamePredictions(zeroed, small, IMAGES);
      }
    }
  }

  @Test
  void shrink_withScales_equalsOriginalWithKeptFiltersScaled() {
    Map<String, Double> scales = Map.of("conv2d_1", 2.0, "dense_1", 7.0 / 3);
    try (Cnn model = Models.mixed(5)) {
      Models.randomBiases(model, 6);
      try (Cnn small = FilterSurgery.shrink(model, Models.mixedKept(), scales);
          Cnn zeroed = Models.zeroedCopy(model, Models.mixedKept(), scales)) {
        Models.assertSamePredictions(zeroed, small, IMAGES);
      }
    }
  }

  @Test
  void shrink_smallerModel_savesLoadsAndSummarises() throws IOException {
    try (Cnn model = Models.mixed(1); Cnn small = FilterSurgery.shrink(model, Models.mixedKept())) {
      small.save(tmp.resolve("small"));
      try (Cnn loaded = Cnn.load(tmp.resolve("small"))) {
        assertEquals(small.architecture(), loaded.architecture());
        float[][] expected = small.predict(IMAGES);
        float[][] actual = loaded.predict(IMAGES);
        for (int i = 0; i < expected.length; i++) {
          assertClose(expected[i], actual[i], 0f);
        }
      }
      String summary = small.summary();
      assertTrue(summary.contains("(None, 8, 8, 3)"), summary);
      assertTrue(summary.contains("Total params: 224"), summary);
    }
  }

  @Test
  void shrink_smallerModel_exportsServableSavedModel() throws IOException {
    try (Cnn model = Models.mixed(2); Cnn small = FilterSurgery.shrink(model, Models.mixedKept())) {
      Path dir = tmp.resolve("saved");
      small.exportSavedModel(dir);
      float[] image = IMAGES.image(0);
      float[] expected = small.predict(IMAGES.subset(0, 1))[0];
      try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
          TFloat32 x = TFloat32.tensorOf(Shape.of(1, 10, 10, 2))) {
        x.asRawTensor().data().asFloats().write(image);
        try (Result r = bundle.call(Map.of("images", x))) {
          TFloat32 y = (TFloat32) r.get("output").orElseThrow();
          float[] actual = new float[3];
          y.asRawTensor().data().asFloats().read(actual);
          assertClose(expected, actual, GRAPH_TOLERANCE);
        }
      }
    }
  }

  static Stream<Arguments> badKept() {
    return Stream.of(
        Arguments.of(Map.of("dense_2", List.of(0)),
            "dense_2 is not a prunable layer; prunable: "),
        Arguments.of(Map.of("conv2d_1", List.of()),
            "conv2d_1: keep at least one of its 6 filters, got []"),
        Arguments.of(Map.of("conv2d_1", List.of(6)),
            "conv2d_1: filter indices must be in [0, 6), got 6"),
        Arguments.of(Map.of("conv2d_1", List.of(-1)),
            "conv2d_1: filter indices must be in [0, 6), got -1"),
        Arguments.of(Map.of("conv2d_2", List.of(1, 1)), "conv2d_2: filter 1 is listed twice"));
  }

  @ParameterizedTest
  @MethodSource("badKept")
  void shrink_badKeptFilters_throws(Map<String, List<Integer>> kept, String message) {
    try (Cnn model = Models.mixed(0)) {
      String actual = assertThrows(IllegalArgumentException.class,
          () -> FilterSurgery.shrink(model, kept)).getMessage();
      assertTrue(actual.startsWith(message), actual);
    }
  }

  @Test
  void shrinkArchitecture_countAboveLayerSize_throws() {
    try (Cnn model = Models.mixed(0)) {
      assertEquals("conv2d_2: kept count must be in [1, 5], got 6",
          assertThrows(IllegalArgumentException.class, () -> FilterSurgery.shrink(
              model.architecture(), Map.of("conv2d_2", 6))).getMessage());
    }
  }
}
