package org.fwprune.examples.cli;

import org.fwprune.examples.reproduce.Shard;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts {@code K/N} to a {@link Shard}. */
final class ShardConverter implements ITypeConverter<Shard> {

  @Override
  public Shard convert(String value) {
    try {
      return Shard.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
