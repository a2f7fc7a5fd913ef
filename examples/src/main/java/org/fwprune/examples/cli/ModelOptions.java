package org.fwprune.examples.cli;

import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.PaperNetwork;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.examples.reproduce.Network;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that choose and seed a fresh network ({@code --network}, {@code --seed}); the
 * thread count comes from the command's {@link ThreadsOption}.
 */
final class ModelOptions {

  /**
   * Smallest image side the paper's layers accept: two 3x3 valid convolutions and two 2x2
   * poolings leave {@code ((side - 2) / 2 - 2) / 2} pixels, which must be at least 1.
   */
  static final int MIN_SIDE = 10;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--seed", defaultValue = "42", descriptionKey = "ModelOptions.seed")
  long seed;

  @Option(names = "--network", paramLabel = "NAME", defaultValue = "paper",
      converter = NetworkConverter.class, completionCandidates = NetworkConverter.Names.class,
      descriptionKey = "ModelOptions.network")
  Network network;

  /**
   * The network chosen with {@code --network}, sized for {@code data} (its image shape as input,
   * one output per class), freshly initialised from {@code --seed}, with {@code threads}
   * intra-op threads. On MNIST (28x28x1, 10 classes) {@code paper} is PaperNetwork's CNN.
   * Images too small for the network are a usage error.
   */
  Cnn createFor(Dataset data, int threads) {
    if (network == Network.PAPER) {
      if (Math.min(data.height(), data.width()) < MIN_SIDE) {
        throw new ParameterException(command.commandLine(), "images of "
            + data.height() + "x" + data.width() + " are too small for the paper's CNN, which"
            + " needs at least " + MIN_SIDE + "x" + MIN_SIDE + " (--image-size)");
      }
      return PaperNetwork.builder(data.height(), data.width(), data.channels(), data.numClasses())
          .seed(seed)
          .threads(threads, 0)
          .build();
    }
    Architecture a = UsageErrors.check(command, () -> Architectures.resNet(20, data.height(),
        data.width(), data.channels(), Math.max(2, data.numClasses())));
    return UsageErrors.check(command, () -> Cnn.of(a.withSeed(seed),
        ExecutionOptions.builder().threads(threads, 0).build()));
  }
}
