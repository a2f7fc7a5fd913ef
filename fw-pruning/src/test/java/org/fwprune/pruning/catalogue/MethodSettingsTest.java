package org.fwprune.pruning.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MethodSettingsTest {

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of((Consumer<MethodSettings.Builder>) b -> b.targetSparsity(1.0),
            "targetSparsity"),
        Arguments.of((Consumer<MethodSettings.Builder>) b -> b.steps(0), "steps"),
        Arguments.of((Consumer<MethodSettings.Builder>) b -> b.batchSize(0), "batchSize"),
        Arguments.of((Consumer<MethodSettings.Builder>) b -> b.pruningFraction(1.5),
            "pruningFraction"),
        Arguments.of((Consumer<MethodSettings.Builder>) b -> b.batchNormRecalibration(-1),
            "atch"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void setter_outOfRange_throwsNamingTheSettingAndRange(Consumer<MethodSettings.Builder> set,
      String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> set.accept(MethodSettings.builder()));

    assertTrue(e.getMessage().contains(name) && e.getMessage().matches("(?s).*[\\[(].*,.*[\\])].*"),
        e.getMessage());
  }

  @Test
  void toBuilder_keepsEverySetting() {
    MethodSettings settings = MethodSettings.builder().targetSparsity(0.7).steps(12).batchSize(9)
        .pruningFraction(0.3).batchNormRecalibration(0).seed(5).build();

    assertEquals(settings.toString(), settings.toBuilder().build().toString());
  }
}
