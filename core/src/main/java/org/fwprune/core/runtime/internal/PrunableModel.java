package org.fwprune.core.runtime.internal;

import java.util.List;
import java.util.function.Function;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The part of a model that pruners and other extension modules (fw-pruning) reach: the prunable
 * kernels and their masks, the training loss whose gradients they take, the ops they build
 * through {@link #extension} and the runs of those ops. It hands out no TensorFlow graph, session
 * or op builder: ops are added only inside an extension's builder, through a {@link
 * GraphBuilder} that stops working when the builder returns. Closing the model, reading or
 * writing its parameters and inference are the {@code Cnn}'s business, not a pruner's.
 */
public sealed interface PrunableModel permits ModelGraph {

  /** The architecture of the model. */
  Architecture architecture();

  /** Layers with kernels, in order, with their kernel and mask variables: what pruners prune. */
  List<ModelGraph.WeightedLayer> weightedLayers();

  /**
   * Variable by key ({@code <layer>/kernel}, {@code /bias}, {@code /gamma}, ..., {@code /mask}),
   * for ops built in an extension.
   */
  Variable<TFloat32> variable(String key);

  /** The variables that gradient steps train (kernels, biases, BatchNorm gammas and betas). */
  List<Variable<TFloat32>> trainableVariables();

  /** The placeholder fed with a batch's images ({@code [batch, h, w, c]} float32). */
  Operand<TFloat32> images();

  /** The placeholder fed with a batch's labels ({@code [batch]} int32). */
  Operand<org.tensorflow.types.TInt32> labels();

  /** Mean cross-entropy of the training forward pass on the fed batch. */
  Operand<TFloat32> trainLoss();

  /** Number of correct predictions of the training forward pass on the fed batch. */
  Operand<TFloat32> trainCorrect();

  /**
   * Op that moves every BatchNorm's moving statistics towards the fed batch's; every training
   * step runs it with the step (a no-op without BatchNorm).
   */
  Op updateStatisticsOp();

  /** Whether any mask may hold a zero; training applies the masks only then. */
  boolean masksActive();

  /** Declares that masks are (or are about to be) in use; training then keeps them applied. */
  void activateMasks();

  /**
   * Returns the ops an extension registered under {@code key}, building them with {@code
   * builder} on first use, so repeated calls do not grow the graph. Keys must identify the ops'
   * structure, never values that change from run to run (feed those).
   */
  <T> T extension(Object key, Function<GraphBuilder, T> builder);

  /**
   * Runs {@code targets} with a batch and scalar values fed to placeholders, and returns the
   * scalar values of {@code fetches}.
   *
   * @param batch the fed images and labels, or null when the ops need no input
   */
  float[] run(InputBatch batch, List<ScalarFeed> feeds, List<? extends Op> targets,
      List<? extends Operand<TFloat32>> fetches);

  /** {@link #run(InputBatch, List, List, List)} without scalar feeds. */
  default float[] run(InputBatch batch, List<? extends Op> targets,
      List<? extends Operand<TFloat32>> fetches) {
    return run(batch, List.of(), targets, fetches);
  }

  /** Runs one op that needs no input and fetches nothing (a reset, a restore). */
  default void run(Op target) {
    run(null, List.of(target), List.of());
  }

  /**
   * Exclusive use of the model for a run that changes it (a fit, a pruning run), released by
   * closing the lease; a second concurrent one is refused with a message naming {@code what}.
   */
  ModelGraph.Lease exclusive(String what);

  /**
   * Checks that {@code data} fits the model's input and output; the message names both shapes.
   *
   * @param role how the caller uses the data, e.g. "training data"
   */
  void checkCompatible(Dataset data, String role);
}
