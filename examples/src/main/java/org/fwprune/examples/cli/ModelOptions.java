package org.fwprune.examples.cli;

import org.fwprune.examples.reproduce.Network;

import org.fwprune.core.model.Cnn;
import org.fwprune.core.model.PaperNetwork;
import picocli.CommandLine.Option;

/** Options that build the paper's CNN: seed and session threads. */
final class ModelOptions {

  @Option(names = "--seed", defaultValue = "42", description = "Model and shuffling seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", defaultValue = "0",
      description = "TensorFlow intra-op threads; 0 = every core (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--network", paramLabel = "NAME", defaultValue = "paper",
      description = "Network: paper (the paper's CNN) or resnet20 (default ${DEFAULT-VALUE}).")
  String network;

  /** The network of the paper: conv32-pool-conv64-pool-dropout-dense10 (34,826 parameters). */
  Cnn paperCnn() {
    return PaperNetwork.builder()
        .seed(seed)
        .threads(threads, 0)
        .build();
  }

  /** The network chosen with {@code --network}, freshly initialised from {@code --seed}. */
  Cnn create(picocli.CommandLine.Model.CommandSpec spec) {
    try {
      return Network.of(network).factory(threads).create(seed);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
