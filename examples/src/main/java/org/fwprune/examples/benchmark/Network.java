package org.fwprune.examples.benchmark;

import java.util.Arrays;
import java.util.Locale;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.model.PaperNetwork;

/**
 * The networks the framework comparison ({@link FrameworkComparison}) can time; bench/
 * pytorch_bench.py builds each of them again in PyTorch under the same name.
 */
public enum Network {
  /** The paper's MNIST CNN ({@link PaperNetwork}), 34,826 parameters. */
  PAPER {
    @Override
    Cnn build(long seed, int threads) {
      return PaperNetwork.builder().seed(seed).threads(threads, 0).build();
    }
  };

  /** A freshly initialised model with {@code threads} intra-op threads (0 = every core). */
  abstract Cnn build(long seed, int threads);

  /**
   * The network named {@code name} ({@link #cliName()}).
   *
   * @throws IllegalArgumentException naming the networks there are
   */
  public static Network fromCliName(String name) {
    for (Network n : values()) {
      if (n.cliName().equals(name == null ? null : name.trim())) {
        return n;
      }
    }
    throw new IllegalArgumentException("expected a network among " + Arrays.stream(values())
        .map(Network::cliName).toList() + ", found '" + name + "'");
  }

  /** The name the command line and bench/pytorch_bench.py use. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
