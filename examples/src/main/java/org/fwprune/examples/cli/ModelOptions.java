package org.fwprune.examples.cli;

import org.fwprune.core.data.Dataset;
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
    return Cnn.builder()
        .input(data.height(), data.width(), data.channels())
        .conv2d(32, 3).relu().maxPool(2)
        .conv2d(64, 3).relu().maxPool(2)
        .flatten().dropout(0.5)
        .dense(data.numClasses()).softmax()
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
}
