package org.fwprune.examples.engine;

import java.util.List;
import org.fwprune.core.PaperNetwork;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.runtime.internal.Forward;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.initializers.RandomUniform;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The paper's CNN driven the plainest way: a fresh input tensor per batch and one
 * {@code Session.run} per step, with the framework's {@code GradientDescent.minimize}. The
 * benchmark compares the library's training loop with it, on two graphs: the network written one
 * TF Java op per layer ({@link Ops#nn}'s {@code maxPool} after {@code relu}), and the library's
 * own forward pass ({@link Forward}), which isolates the cost of the training loop.
 */
public final class ReferenceLoop implements AutoCloseable {

  /** Which forward pass the reference loop trains. */
  public enum ForwardGraph {
    /** One TF Java op per layer, in the layers' order: what a user writes by hand. */
    PLAIN,
    /** The library's forward pass, {@link Forward#logits}: the graph the library trains. */
    LIBRARY
  }

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final Op train;
  private final Operand<TFloat32> loss;

  /**
   * Builds the paper CNN's training graph with {@code forward}'s forward pass and plain SGD at
   * {@code learningRate}, weights drawn from {@code seed}, in a session of {@code intraOpThreads}.
   */
  public ReferenceLoop(ForwardGraph forward, double learningRate, long seed, int intraOpThreads) {
    Ops tf = Ops.create(graph);
    images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
    labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Variable<TFloat32> k1 = weight(tf, seed, 3, 3, 1, 32);
    Variable<TFloat32> b1 = tf.variable(tf.withInitScope().zeros(
        tf.withInitScope().constant(new long[] {32}), TFloat32.class));
    Variable<TFloat32> k2 = weight(tf, seed + 1, 3, 3, 32, 64);
    Variable<TFloat32> b2 = tf.variable(tf.withInitScope().zeros(
        tf.withInitScope().constant(new long[] {64}), TFloat32.class));
    Variable<TFloat32> k3 = weight(tf, seed + 2, 1600, 10);
    Variable<TFloat32> b3 = tf.variable(tf.withInitScope().zeros(
        tf.withInitScope().constant(new long[] {10}), TFloat32.class));
    Operand<TFloat32> logits;
    if (forward == ForwardGraph.LIBRARY) {
      Architecture a = PaperNetwork.builder().seed(seed).architecture();
      List<Layer> layers = a.weightedLayers();
      java.util.Map<String, Operand<TFloat32>> params = java.util.Map.of(
          layers.get(0).kernelKey(), k1, layers.get(0).biasKey(), b1,
          layers.get(1).kernelKey(), k2, layers.get(1).biasKey(), b2,
          layers.get(2).kernelKey(), k3, layers.get(2).biasKey(), b3);
      logits = Forward.logits(tf, a, images, params::get, true);
    } else {
      Operand<TFloat32> h = pool(tf, tf.nn.relu(tf.nn.biasAdd(
          tf.nn.conv2d(images, k1, List.of(1L, 1L, 1L, 1L), "VALID"), b1)));
      h = pool(tf, tf.nn.relu(tf.nn.biasAdd(
          tf.nn.conv2d(h, k2, List.of(1L, 1L, 1L, 1L), "VALID"), b2)));
      h = tf.reshape(h, tf.constant(new long[] {-1, 1600}));
      Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(
          tf.random.randomUniform(tf.shape(h), TFloat32.class,
              org.tensorflow.op.random.RandomUniform.seed(seed)),
          tf.constant(0.5f)), TFloat32.class);
      h = tf.math.mul(h, tf.math.mul(keep, tf.constant(2f)));
      logits = tf.nn.biasAdd(tf.linalg.matMul(h, k3), b3);
    }
    loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits,
        tf.oneHot(labels, tf.constant(10), tf.constant(1f), tf.constant(0f))).loss(),
        tf.constant(0));
    train = new GradientDescent(graph, (float) learningRate).minimize(loss);
    session = new Session(graph, ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads).build());
    session.initialize();
  }

  private static Variable<TFloat32> weight(Ops tf, long seed, long... shape) {
    long fanIn = 1;
    for (int i = 0; i < shape.length - 1; i++) {
      fanIn *= shape[i];
    }
    long receptive = shape.length == 4 ? shape[0] * shape[1] : 1;
    long fanOut = receptive * shape[shape.length - 1];
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    Ops init = tf.withInitScope();
    return tf.variable(new RandomUniform<TFloat32>(-limit, limit, seed)
        .call(init, init.constant(shape), TFloat32.class));
  }

  private static Operand<TFloat32> pool(Ops tf, Operand<TFloat32> x) {
    return tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}),
        tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  /** Trains {@code steps} batches of {@code batchSize} in shuffled order; returns seconds. */
  public double train(Dataset data, int batchSize, int steps, long seed) {
    return FreshTensorFeed.time(data, batchSize, steps, seed, Shape.of(batchSize, 28, 28, 1),
        (x, y) -> {
          try (Result r = session.runner().feed(images, x).feed(labels, y).addTarget(train)
              .fetch(loss).run()) {
            r.get(0);
          }
        });
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

}
