package org.fwprune.core.train.internal;

import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.runtime.internal.Axes;
import org.fwprune.core.runtime.internal.GraphBuilder;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.PrunableModel;
import org.fwprune.core.runtime.internal.ScalarFeed;
import org.fwprune.core.train.OptimizerSpec;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The graph ops of one optimizer step for one kind of optimizer: gradients of the training loss
 * with respect to every trainable tensor (an explicit list, docs/tensorflow-java.md: TensorFlow-framework's
 * {@code minimize()} would also pick up masks), the update, the BatchNorm moving statistics, then
 * kernels and optimizer slots multiplied by their masks so pruned weights stay exactly zero. While
 * no mask is in use ({@link ModelGraph#masksActive()}) the multiply is left out; the step built
 * afterwards includes it.
 *
 * <p>The optimizer's settings (learning rate, momentum, betas, epsilon) are placeholders fed at
 * every step, and its state (slots, Adam's beta powers) is reset by {@link #reset} at the start of
 * every run: each {@code fit} starts fresh, and fitting with a hundred learning rates builds one
 * step, not a hundred. The updates are TensorFlow's own kernels (ApplyGradientDescent,
 * ApplyMomentum, ApplyAdam), the ones tensorflow-framework's optimizers use.
 *
 * <p>A step whose loss or gradients are not finite changes nothing, so the weights stay finite
 * and the caller can stop with a clear error.
 */
public final class TrainStep {

  private final Op op;
  private final Op reset;
  private final List<Placeholder<TFloat32>> settings;

  private TrainStep(Op op, Op reset, List<Placeholder<TFloat32>> settings) {
    this.op = op;
    this.reset = reset;
    this.settings = settings;
  }

  /** The step for the kind of {@code spec} on {@code graph}, built once per graph and kind. */
  public static TrainStep of(PrunableModel graph, OptimizerSpec spec) {
    boolean masked = graph.masksActive();
    return graph.extension(new Key(spec.accept(UpdateKind.INSTANCE), masked),
        b -> build(graph, b, spec, masked));
  }

  /** The op to run, with the model's inputs and {@link #feeds} fed. */
  public Op op() {
    return op;
  }

  /** The values of {@code spec} for the step's setting placeholders. */
  public List<ScalarFeed> feeds(OptimizerSpec spec) {
    return feeds(spec, 1);
  }

  /**
   * The values of {@code spec} for the step's setting placeholders, the learning rate (always the
   * first) multiplied by {@code rateFactor}, a {@link LearningRateSchedule}'s factor.
   */
  public List<ScalarFeed> feeds(OptimizerSpec spec, double rateFactor) {
    List<Double> values = spec.values();
    List<ScalarFeed> feeds = new ArrayList<>();
    for (int i = 0; i < settings.size(); i++) {
      feeds.add(new ScalarFeed(settings.get(i), i == 0 ? values.get(i) * rateFactor
          : values.get(i)));
    }
    return feeds;
  }

  /** Clears the optimizer's state (momentum, Adam's moments and beta powers) for a new run. */
  public void reset(PrunableModel graph, OptimizerSpec spec) {
    graph.run(null, feeds(spec), List.of(reset), List.of());
  }

  /** Runs one step on {@code batch} and returns the values of {@code fetches}. */
  public float[] run(PrunableModel graph, OptimizerSpec spec, InputBatch batch,
      List<? extends Operand<TFloat32>> fetches) {
    return run(graph, spec, 1, batch, fetches);
  }

  /**
   * Runs one step on {@code batch} with the learning rate multiplied by {@code rateFactor} (a
   * {@link LearningRateSchedule}'s factor) and returns the values of {@code fetches}.
   */
  public float[] run(PrunableModel graph, OptimizerSpec spec, double rateFactor, InputBatch batch,
      List<? extends Operand<TFloat32>> fetches) {
    return graph.run(batch, feeds(spec, rateFactor), List.of(op), fetches);
  }

  private record Key(String update, boolean masked) {}

  /**
   * Names the update graph a spec needs, so each is built once per graph: the kind of optimizer,
   * and for momentum whether it is Nesterov's (its ops differ; the rates are fed).
   */
  private enum UpdateKind implements OptimizerSpec.Visitor<String> {
    INSTANCE;

    @Override
    public String sgd(OptimizerSpec.Sgd spec) {
      return "sgd";
    }

    @Override
    public String momentum(OptimizerSpec.SgdMomentum spec) {
      return spec.nesterov() ? "nesterov" : "momentum";
    }

    @Override
    public String adam(OptimizerSpec.AdamSpec spec) {
      return "adam";
    }
  }

  /** Builds the update op of each kind of optimizer on one {@link Update}. */
  private record UpdateOp(Update update) implements OptimizerSpec.Visitor<Op> {
    @Override
    public Op sgd(OptimizerSpec.Sgd spec) {
      return update.sgd();
    }

    @Override
    public Op momentum(OptimizerSpec.SgdMomentum spec) {
      return update.momentum(spec.nesterov());
    }

    @Override
    public Op adam(OptimizerSpec.AdamSpec spec) {
      return update.adam();
    }
  }

  /** The gated gradients of the training loss, shared by every kind of step. */
  private record Gradients(List<Operand<TFloat32>> gated) {
    static Gradients of(PrunableModel g) {
      return g.extension(Gradients.class, b -> build(g, b));
    }

    private static Gradients build(PrunableModel g, GraphBuilder b) {
      Ops tf = b.tf();
      List<Variable<TFloat32>> vars = g.trainableVariables();
      Output<?>[] grads = b.gradients(g.trainLoss(), vars);
      // One scalar check: a NaN or infinity anywhere in the loss or a gradient makes the sum of
      // the loss and every gradient's sum non-finite. Finite gradients overflow the sum only near
      // 1e38, a run that has diverged anyway. This costs two ops per variable where an
      // element-wise isFinite and reduceAll per gradient cost five, on every training step.
      // One AddN, not a chain of adds: the check sits between the last gradient and the update.
      List<Operand<TFloat32>> terms = new ArrayList<>();
      terms.add(g.trainLoss());
      for (int i = 0; i < grads.length; i++) {
        // The variable's static rank: a gradient's own may be unknown to the graph.
        terms.add(tf.sum(asFloat(grads[i]), Axes.all(tf, vars.get(i))));
      }
      Operand<TBool> finite = tf.math.isFinite(tf.math.addN(terms));
      List<Operand<TFloat32>> gated = new ArrayList<>();
      for (Output<?> grad : grads) {
        // A Switch passes the gradient on only when it is finite; otherwise the update ops and
        // everything after them do not run (TensorFlow's dead branch), so the step leaves
        // weights and optimizer state as they were. It also orders every update after every
        // gradient, so no update overwrites a weight the backward pass still reads.
        gated.add(tf.switchCond(asFloat(grad), finite).outputTrue());
      }
      return new Gradients(gated);
    }
  }

  private static TrainStep build(PrunableModel g, GraphBuilder b, OptimizerSpec spec,
      boolean masked) {
    List<Operand<TFloat32>> grads = Gradients.of(g).gated();
    Ops tf = b.tf();
    String name = b.uniqueName("optimizer");
    List<Placeholder<TFloat32>> settings = new ArrayList<>();
    for (int i = 0; i < spec.values().size(); i++) {
      settings.add(tf.withName(name + "_setting" + i).placeholder(TFloat32.class,
          Placeholder.shape(Shape.scalar())));
    }
    Update update = new Update(tf, name, g.trainableVariables(), grads, settings);
    Op apply = spec.accept(new UpdateOp(update));
    List<Op> after = new ArrayList<>(List.of(apply, g.updateStatisticsOp()));
    if (masked) {
      Ops then = tf.withControlDependencies(List.of(apply));
      for (ModelGraph.WeightedLayer w : g.weightedLayers()) {
        after.add(then.assign(w.kernel(), then.math.mul(w.kernel(), w.mask())));
        for (Variable<TFloat32> slot : update.slotsOf(w.kernel())) {
          after.add(then.assign(slot, then.math.mul(slot, w.mask())));
        }
      }
    }
    Op reset = tf.withControlDependencies(update.resets()).noOp();
    return new TrainStep(tf.withControlDependencies(after).noOp(), reset, settings);
  }

  @SuppressWarnings("unchecked")
  static Operand<TFloat32> asFloat(Output<?> o) {
    return (Operand<TFloat32>) o;
  }
}
