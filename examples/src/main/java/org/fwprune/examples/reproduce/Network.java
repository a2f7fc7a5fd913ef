package org.fwprune.examples.reproduce;

import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.runtime.ExecutionOptions;

/** The networks a reproduction can run on MNIST, by command-line name. */
public enum Network {
  /** The paper's CNN ({@link Architectures#paperCnn()}). */
  PAPER("paper"),
  /** ResNet-20 for 28x28x1 inputs and 10 classes ({@link Architectures#resNet}). */
  RESNET20("resnet20");

  private final String id;

  Network(String id) {
    this.id = id;
  }

  /** The name used on the command line, e.g. {@code resnet20}. */
  public String id() {
    return id;
  }

  /** The architecture, with seed 0. */
  public Architecture architecture() {
    return this == PAPER ? Architectures.paperCnn() : Architectures.resNet(20, 28, 28, 1, 10);
  }

  /**
   * Refuses a setting that needs BatchNorm layers on a network without them.
   *
   * @param what the setting, for the message, e.g. {@code bn-scale selection}
   * @throws IllegalArgumentException "WHAT needs a network with BatchNorm; ID has none"
   */
  public void requireBatchNorm(String what) {
    if (!architecture().hasBatchNorm()) {
      throw new IllegalArgumentException(what + " needs a network with BatchNorm; " + id
          + " has none");
    }
  }

  /** Fresh models of this network with {@code intraOpThreads} TensorFlow threads per op. */
  public ModelFactory factory(int intraOpThreads) {
    if (this == PAPER) {
      return ModelFactory.paper(intraOpThreads);
    }
    Architecture a = architecture();
    // The studies' committed figures were measured before BatchNorm debiasing existed.
    return seed -> Cnn.of(a.withSeed(seed).withBatchNormDebias(false),
        ExecutionOptions.builder().threads(intraOpThreads, 0).build());
  }

  /** A freshly initialised model of {@code seed} with {@code threads} intra-op threads. */
  public org.fwprune.core.Cnn build(long seed, int threads) {
    return factory(threads).create(seed);
  }

  /**
   * The network called {@code id}.
   *
   * @throws IllegalArgumentException naming the networks there are
   */
  public static Network of(String id) {
    for (Network n : values()) {
      if (n.id.equals(id == null ? null : id.trim())) {
        return n;
      }
    }
    throw new IllegalArgumentException("expected a network among "
        + java.util.Arrays.stream(values()).map(Network::id).toList() + ", found '" + id + "'");
  }
}
