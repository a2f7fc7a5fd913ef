package org.fwprune.examples.cli;

import java.util.Arrays;
import java.util.Iterator;
import org.fwprune.examples.reproduce.Method;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts a method name such as {@code fw-momentum} to a {@link Method}. */
final class MethodConverter implements ITypeConverter<Method> {

  @Override
  public Method convert(String value) {
    try {
      return Method.fromId(value.trim());
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** Every method name, for the usage help. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Method.values()).map(Method::id).iterator();
    }
  }
}
