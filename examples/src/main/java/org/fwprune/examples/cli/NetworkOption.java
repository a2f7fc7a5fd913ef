package org.fwprune.examples.cli;

import org.fwprune.examples.reproduce.Network;
import picocli.CommandLine.Option;

/** The {@code --network} choice of the study programs outside the tool (a mixin). */
public final class NetworkOption {

  @Option(names = "--network", paramLabel = "NAME", defaultValue = "paper",
      converter = NetworkConverter.class, completionCandidates = NetworkConverter.Names.class,
      description = "Network, among: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Network network = Network.PAPER;

  /** The network given. */
  public Network network() {
    return network;
  }
}
