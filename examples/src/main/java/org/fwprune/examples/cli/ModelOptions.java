package org.fwprune.examples.cli;

import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Architectures;
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

  /**
   * Smallest image side the paper's layers accept: two 3x3 valid convolutions and two 2x2
   * poolings leave {@code ((side - 2) / 2 - 2) / 2} pixels, which must be at least 1.
   */
  static final int MIN_SIDE = 10;

  /**
   * The paper's layers sized for {@code data}: its image shape as input, one output per class.
   * These are PaperNetwork's layers; on MNIST (28x28x1, 10 classes) the same network.
   */
  Cnn paperCnnFor(Dataset data) {
    return PaperNetwork.builder(data.height(), data.width(), data.channels(), data.numClasses())
        .seed(seed)
        .threads(threads, 0)
        .build();
  }

  /** The network of the paper: conv32-pool-conv64-pool-dropout-dense10 (34,826 parameters). */
  Cnn paperCnn() {
    return PaperNetwork.builder()
        .seed(seed)
        .threads(threads, 0)
        .build();
  }

  /**
   * The network chosen with {@code --network}, sized for {@code data} (its image shape as input,
   * one output per class) and freshly initialised from {@code --seed}.
   */
  Cnn createFor(Dataset data, picocli.CommandLine.Model.CommandSpec spec) {
    switch (network) {
      case "paper":
        if (Math.min(data.height(), data.width()) < MIN_SIDE) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), "images of "
              + data.height() + "x" + data.width() + " are too small for the paper's CNN, which"
              + " needs at least " + MIN_SIDE + "x" + MIN_SIDE + " (--image-size)");
        }
        return paperCnnFor(data);
      case "resnet20":
        try {
          Architecture a = Architectures.resNet(20, data.height(), data.width(),
              data.channels(), Math.max(2, data.numClasses()));
          return Cnn.of(new Architecture(a.height(), a.width(), a.channels(), a.nodes(), seed),
              new org.fwprune.core.runtime.ModelGraph.Threads(threads, 0));
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
      default:
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "unknown network " + network + "; networks: paper, resnet20");
    }
  }
}
