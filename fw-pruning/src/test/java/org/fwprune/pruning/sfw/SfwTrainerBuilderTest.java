package org.fwprune.pruning.sfw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SfwTrainerBuilderTest {

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.constraint(null), "constraint must not be null"),
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.denseConstraint(null), "denseConstraint must not be null"),
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.biasConstraint(null), "biasConstraint must not be null"),
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.tau(0), "tau must be in (0, 1000000], got 0.0"),
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.learningRate(-1), "learningRate must be in (0, 1000], got -1.0"),
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.momentum(1), "momentum must be in [0, 1), got 1.0"),
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.learningRateSchedule(null), "learningRateSchedule must not be null"),
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.epochs(0), "epochs must be in [1, 100000], got 0"),
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.batchSize(0), "batchSize must be in [1, 65536], got 0"),
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.validation(null), "validation data must be a non-empty data set, got null"),
        Arguments.of((Consumer<SfwTrainer.Builder>) b -> b.listener(null), "listener must not be null"));
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void setter_outOfRange_throwsWithAllowedRange(Consumer<SfwTrainer.Builder> call,
      String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class,
        () -> call.accept(SfwTrainer.builder())).getMessage());
  }

  @Test
  void toString_listsEveryHyperParameter() {
    String s = SfwTrainer.builder().build().toString();
    for (String name : new String[] {"constraint=KSparsePolytope{fraction=0.05}",
        "denseConstraint=KSparsePolytope{fraction=0.05}",
        "biasConstraint=L2Ball", "tau=15.0", "learningRate=1.0", "momentum=0.9",
        "schedule=stepDecay(factor=0.1, at=[0.6666666666666666])", "epochs=2", "batchSize=128",
        "seed=0"}) {
      assertTrue(s.contains(name), s);
    }
  }
}
