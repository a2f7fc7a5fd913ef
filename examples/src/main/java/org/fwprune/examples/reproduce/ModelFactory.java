package org.fwprune.examples.reproduce;

import org.fwprune.core.Cnn;
import org.fwprune.core.PaperNetwork;

/**
 * Creates the freshly initialised network that one seed's pre-training starts from. The caller
 * owns and closes every model it returns.
 */
@FunctionalInterface
public interface ModelFactory {

  /** A new model whose initial weights depend only on {@code seed}. */
  Cnn create(long seed);

  /**
   * The paper's network ({@link PaperNetwork}) with {@code intraOpThreads} TensorFlow threads
   * per op (0: every core).
   */
  static ModelFactory paper(int intraOpThreads) {
    return seed -> PaperNetwork.builder().seed(seed).threads(intraOpThreads, 0).build();
  }
}
