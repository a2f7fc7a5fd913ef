package org.fwprune.pruning;

import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;

/**
 * Prunes the conv and dense kernels of a {@link Cnn} in place, fine-tuning it on training data,
 * and reports what it did. Implementations are immutable and may be shared between threads; a
 * model can be pruned by one pruner at a time.
 */
public interface Pruner {

  /**
   * Prunes {@code model} to this pruner's target sparsity, training on {@code train}.
   *
   * @throws IllegalStateException if the model is closed or being trained or pruned elsewhere
   * @throws org.fwprune.core.train.DivergenceException if the fine-tune loss stops being finite
   */
  PruningReport prune(Cnn model, Dataset train);
}
