package org.fwprune.examples.cli;

import java.util.Iterator;
import org.fwprune.examples.reproduce.Method;

/** Converts a method name such as {@code fw-momentum} to a {@link Method}. */
final class MethodConverter extends ParsingConverter<Method> {

  MethodConverter() {
    super(value -> Method.fromId(value.trim()));
  }

  /** Every method name, for the usage help. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Method.values().stream().map(Method::id).iterator();
    }
  }
}
