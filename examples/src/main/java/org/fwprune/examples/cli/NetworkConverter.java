package org.fwprune.examples.cli;

import java.util.Arrays;
import java.util.Iterator;
import org.fwprune.examples.reproduce.Network;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts a network name such as {@code paper} to a {@link Network}. */
final class NetworkConverter implements ITypeConverter<Network> {

  @Override
  public Network convert(String value) {
    try {
      return Network.of(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** Every network name, for the usage help. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Network.values()).map(Network::id).iterator();
    }
  }
}
