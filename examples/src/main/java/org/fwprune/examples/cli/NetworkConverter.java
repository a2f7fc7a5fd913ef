package org.fwprune.examples.cli;

import java.util.Arrays;
import java.util.Iterator;
import org.fwprune.examples.reproduce.Network;

/** Converts a network name such as {@code paper} to a {@link Network}. */
final class NetworkConverter extends ParsingConverter<Network> {

  NetworkConverter() {
    super(Network::of);
  }

  /** Every network name, for the usage help. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Network.values()).map(Network::id).iterator();
    }
  }
}
