package org.fwprune.examples.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.runtime.internal.Forward;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.initializers.RandomUniform;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * Any architecture trained the plainest way a TF Java user would: variables created directly,
 * the library's forward pass, gradients from {@code Graph.addGradients}, tensorflow-framework's
 * {@code Momentum} optimizer, BatchNorm's moving statistics updated by {@code assignSub} ops run
 * with each step, a fresh input tensor per batch and one {@code Session.run} per step. The
 * benchmark times {@code fit} against it on the same network.
 */
public final class PlainGraphLoop implements AutoCloseable {

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final List<Op> targets = new ArrayList<>();
  private final Operand<TFloat32> loss;
  private final Architecture architecture;

  /**
   * Builds {@code a}'s training graph from plain variables and TensorFlow's gradients, with SGD
   * momentum, in a session of {@code intraOpThreads}.
   */
  public PlainGraphLoop(Architecture a, double learningRate, double momentum, int intraOpThreads) {
    this.architecture = a;
    Ops tf = Ops.create(graph);
    Ops init = tf.withInitScope();
    images = tf.placeholder(TFloat32.class, Placeholder.shape(Forward.inputShape(a)));
    labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Map<String, Variable<TFloat32>> vars = new HashMap<>();
    List<Variable<TFloat32>> trainable = new ArrayList<>();
    int seed = 0;
    for (Layer layer : a.resolvedLayers()) {
      for (LayerVariable v : layer.variables()) {
        Operand<TFloat32> value;
        if (v.role() == LayerVariable.Role.KERNEL) {
          double limit = Math.sqrt(6.0 / (layer.fanIn() + layer.fanOut()));
          value = new RandomUniform<TFloat32>(-limit, limit, seed++)
              .call(init, init.constant(v.dims()), TFloat32.class);
        } else {
          value = init.fill(init.constant(v.dims()), init.constant(v.role().start()));
        }
        Variable<TFloat32> var = tf.withName(layer.name() + "_" + v.role().suffix())
            .variable(value);
        vars.put(v.key(), var);
        if (v.role().trainable()) {
          trainable.add(var);
        }
      }
    }
    Forward.Pass pass = Forward.pass(tf, a, images, vars::get, true, (l, h) -> h);
    loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(pass.logits(),
        tf.oneHot(labels, tf.constant(a.numClasses()), tf.constant(1f), tf.constant(0f))).loss(),
        tf.constant(0));
    Output<?>[] grads = graph.addGradients(loss.asOutput(),
        trainable.stream().map(Variable::asOutput).toArray(Output<?>[]::new));
    List<Optimizer.GradAndVar<? extends TType>> pairs = new ArrayList<>();
    for (int i = 0; i < grads.length; i++) {
      @SuppressWarnings("unchecked")
      Output<TFloat32> grad = (Output<TFloat32>) grads[i];
      pairs.add(new Optimizer.GradAndVar<>(grad, trainable.get(i).asOutput()));
    }
    Optimizer optimizer = new Momentum(graph, (float) learningRate, (float) momentum, false);
    targets.add(optimizer.applyGradients(pairs, "momentum"));
    for (Forward.BatchStatistics s : pass.statistics()) {
      float rate = (float) (1 - ((LayerSpec.BatchNorm) s.layer().spec()).momentum());
      for (var pair : List.of(
          Map.entry(LayerVariable.Role.MOVING_MEAN, s.mean()),
          Map.entry(LayerVariable.Role.MOVING_VARIANCE, s.variance()))) {
        Variable<TFloat32> moving = vars.get(s.layer().key(pair.getKey()));
        targets.add(tf.assignSub(moving, tf.math.mul(tf.math.sub(moving, pair.getValue()),
            tf.constant(rate))));
      }
    }
    session = new Session(graph, ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads).build());
    session.initialize();
  }

  /** Trains {@code steps} batches of {@code batchSize} in shuffled order; returns seconds. */
  public double train(Dataset data, int batchSize, int steps, long seed) {
    Shape shape = Shape.of(batchSize, architecture.height(), architecture.width(),
        architecture.channels());
    return FreshTensorFeed.time(data, batchSize, steps, seed, shape, (x, y) -> {
      Session.Runner runner = session.runner().feed(images, x).feed(labels, y);
      targets.forEach(runner::addTarget);
      try (Result r = runner.fetch(loss).run()) {
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
