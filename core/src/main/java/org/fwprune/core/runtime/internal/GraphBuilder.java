package org.fwprune.core.runtime.internal;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;

/**
 * What an extension's builder may use to add ops to a model's graph: TensorFlow's op builder,
 * gradients and fresh op names. It is handed to the builder of {@link
 * PrunableModel#extension} and works only during that call, while no other thread runs the graph;
 * afterwards every method throws, so ops can never be added to a graph that is being run.
 */
public final class GraphBuilder {

  private final ModelSession session;
  private final ModelGraph graph;
  private boolean finished;

  GraphBuilder(ModelSession session, ModelGraph graph) {
    this.session = session;
    this.graph = graph;
  }

  /** TensorFlow's op builder on the model's graph. */
  public Ops tf() {
    checkOpen();
    return session.tf();
  }

  /** Gradients of {@code y} with respect to each of {@code xs}, added to the graph. */
  public Output<?>[] gradients(Operand<?> y, List<? extends Operand<?>> xs) {
    checkOpen();
    return session.gradients(y, xs);
  }

  /** A name not used before in this graph, for ops that need one. */
  public String uniqueName(String prefix) {
    checkOpen();
    return graph.uniqueName(prefix);
  }

  void finish() {
    finished = true;
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("this GraphBuilder was used after its extension was built:"
          + " ops may only be added inside the builder passed to extension(...)");
    }
  }
}
