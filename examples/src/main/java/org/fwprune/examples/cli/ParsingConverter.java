package org.fwprune.examples.cli;

import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A picocli converter that hands an option's text to a library parser; the parser's
 * IllegalArgumentException, which names the problem, becomes picocli's conversion error.
 *
 * @param <T> what the option's text becomes
 */
abstract class ParsingConverter<T> implements ITypeConverter<T> {

  private final Function<String, T> parse;

  ParsingConverter(Function<String, T> parse) {
    this.parse = parse;
  }

  @Override
  public T convert(String value) {
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
