package org.fwprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerSpec.PRelu.Axis;
import org.fwprune.core.testing.OlderModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PReLU's sharings (Keras' {@code shared_axes}): each gives Keras' alpha shape, computes with a
 * slope per unshared index, and survives saving.
 */
class PreluAxesTest {

  @TempDir
  Path tmp;

  static Stream<Arguments> sharings() {
    return Stream.of(
        Arguments.of(EnumSet.noneOf(Axis.class), List.of(3L, 4L, 2L)),
        Arguments.of(EnumSet.allOf(Axis.class), List.of(1L, 1L, 1L)),
        Arguments.of(EnumSet.of(Axis.CHANNELS), List.of(3L, 4L, 1L)),
        Arguments.of(EnumSet.of(Axis.HEIGHT), List.of(1L, 4L, 2L)),
        Arguments.of(LayerSpec.PRelu.PER_CHANNEL, List.of(2L)));
  }

  @ParameterizedTest(name = "image, shared {0}: alpha {1}")
  @MethodSource("sharings")
  void prelu_onImage_hasKerasAlphaShape(Set<Axis> shared, List<Long> alpha) {
    try (Cnn model = Cnn.builder().input(3, 4, 2).prelu(shared).flatten().dense(2).build()) {
      assertEquals(alpha, model.architecture().layer("p_re_lu_1").variables().get(0).shape());
    }
  }

  @ParameterizedTest(name = "vector, shared {0}: alpha {1}")
  @MethodSource("vectorSharings")
  void prelu_onVector_hasOneSlopeOrOnePerUnit(Set<Axis> shared, List<Long> alpha) {
    try (Cnn model = Cnn.builder().input(3, 4, 2).flatten().dense(5).prelu(shared).dense(2)
        .build()) {
      assertEquals(alpha, model.architecture().layer("p_re_lu_1").variables().get(0).shape());
    }
  }

  static Stream<Arguments> vectorSharings() {
    return Stream.of(
        Arguments.of(EnumSet.of(Axis.CHANNELS), List.of(1L)),
        Arguments.of(LayerSpec.PRelu.PER_CHANNEL, List.of(5L)));
  }

  /** A slope per value: x above zero, alpha x below, each pixel with its own alpha. */
  @Test
  void prelu_perValue_computesTheHandValues() {
    try (Cnn model = Cnn.builder().input(1, 2, 1).prelu(EnumSet.noneOf(Axis.class)).flatten()
        .dense(2, false).build()) {
      model.setParameters(Map.of("p_re_lu_1/alpha", new float[] {0.5f, -2},
          "dense_1/kernel", new float[] {1, 0, 0, 1}));
      Dataset x = Dataset.of(new float[] {-4, -1}, new int[] {0}, 1, 2, 1, 2);
      assertArrayEquals(new float[] {-2, 2}, model.predict(x)[0]);
    }
  }

  @Test
  void prelu_sharedAxes_saveAndLoad_keepsThem() throws IOException {
    try (Cnn model = Cnn.builder().input(3, 4, 2).prelu(EnumSet.of(Axis.CHANNELS)).flatten()
        .dense(2).build()) {
      model.save(tmp.resolve("m"));
      try (Cnn back = Cnn.load(tmp.resolve("m"))) {
        assertEquals(model.architecture(), back.architecture());
      }
    }
  }

  @Test
  void load_preluWithoutSharedAxes_readsOneSlopePerChannel() throws IOException {
    // Files written before the sharing existed have no sharedAxes field.
    Path dir = tmp.resolve("old");
    try (Cnn model = Cnn.builder().input(3, 4, 2).prelu().flatten().dense(2).build()) {
      model.save(dir);
      OlderModelFiles.removeSpecFields(dir, "sharedAxes");
      assertFalse(Files.readString(dir.resolve("model.json")).contains("sharedAxes"));
      try (Cnn back = Cnn.load(dir)) {
        assertEquals(new LayerSpec.PRelu(), back.architecture().layer("p_re_lu_1").spec());
      }
    }
  }
}
