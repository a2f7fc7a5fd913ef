package org.fwprune.examples.cli;

import org.fwprune.examples.reproduce.Network;
import picocli.CommandLine.Option;

/** The {@code --network} choice of the studies and the benchmark (a mixin). */
public final class NetworkOption {

  // No defaultValue: the initial value is the default, so a command can choose its own.
  @Option(names = "--network", paramLabel = "NAME", converter = NetworkConverter.class,
      completionCandidates = NetworkConverter.Names.class, descriptionKey = "NetworkOption.network")
  Network network;

  /** The option with the paper's network as its default. */
  public NetworkOption() {
    this(Network.PAPER);
  }

  /** The option with {@code initial} as its default. */
  public NetworkOption(Network initial) {
    this.network = initial;
  }

  /** The network given. */
  public Network network() {
    return network;
  }
}
