package org.fwprune.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.fwprune.pruning.catalogue.PruningMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MethodTest {

  @Test
  void values_areTheDenseBaselinesThenEveryCatalogueMethodInOrder() {
    List<String> expected = new ArrayList<>(List.of("dense", "dense-trained-on"));
    for (PruningMethod m : PruningMethod.values()) {
      expected.add(m.id());
    }

    assertEquals(expected, Method.values().stream().map(Method::id).toList());
  }

  @ParameterizedTest
  @EnumSource(PruningMethod.class)
  void of_catalogueMethod_isTheColumnThatAppliesIt(PruningMethod method) {
    Method column = Method.of(method);

    assertSame(method, column.pruning().orElseThrow());
    assertEquals(method.isStructured(), column.isStructured());
  }
}
