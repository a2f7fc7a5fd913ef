package org.fwprune.core.train;

import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.runtime.Axes;
import org.fwprune.core.runtime.ModelGraph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * The graph ops of one optimizer step for one optimizer setting: gradients of the training loss
 * with respect to every kernel and bias (an explicit list, docs/tensorflow-java.md: {@code
 * minimize()}
 * would also pick up masks), the optimizer update, then kernels and optimizer slots multiplied by
 * their masks so pruned weights stay exactly zero. While no mask is in use
 * ({@link ModelGraph#masksActive()}) the multiply is left out; the step built afterwards, with a
 * new optimizer state, includes it.
 *
 * <p>A step whose loss or gradients are not finite changes nothing, so the weights stay finite
 * and the caller can stop with a clear error.
 */
public final class TrainStep {

  private final Op op;

  private TrainStep(Op op) {
    this.op = op;
  }

  /** The step for {@code spec} on {@code graph}, built once per graph and setting. */
  public static TrainStep of(ModelGraph graph, OptimizerSpec spec) {
    boolean masked = graph.masksActive();
    return graph.extension(new Key(spec, masked), () -> build(graph, spec, masked));
  }

  /** The op to run, with the model's inputs fed. */
  public Op op() {
    return op;
  }

  private record Key(OptimizerSpec spec, boolean masked) {}

  private static TrainStep build(ModelGraph g, OptimizerSpec spec, boolean masked) {
    Ops tf = g.tf();
    List<Variable<TFloat32>> vars = new ArrayList<>();
    for (ModelGraph.WeightedLayer w : g.weightedLayers()) {
      vars.add(w.kernel());
      vars.add(w.bias());
    }
    Output<?>[] xs = vars.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] grads = g.graph().addGradients(g.trainLoss().asOutput(), xs);
    // One scalar check: a NaN or infinity anywhere in the loss or a gradient makes the sum of
    // the loss and every gradient's sum non-finite. Finite gradients overflow the sum only near
    // 1e38, a run that has diverged anyway. This costs two ops per variable where an element-wise
    // isFinite and reduceAll per gradient cost five, on every training step.
    // One AddN, not a chain of adds: the check sits between the last gradient and the update.
    List<Operand<TFloat32>> terms = new ArrayList<>();
    terms.add(g.trainLoss());
    for (int i = 0; i < grads.length; i++) {
      // The variable's static rank: a gradient's own may be unknown to the graph.
      terms.add(tf.sum(asFloat(grads[i]), Axes.all(tf, vars.get(i))));
    }
    Operand<TBool> finite = tf.math.isFinite(tf.math.addN(terms));
    List<Optimizer.GradAndVar<? extends TType>> pairs = new ArrayList<>();
    for (int i = 0; i < xs.length; i++) {
      // A Switch passes the gradient on only when it is finite; otherwise the update ops and
      // everything after them do not run (TensorFlow's dead branch), so the step leaves weights
      // and optimizer state as they were. Unlike selecting a zero gradient, it copies nothing.
      Output<TFloat32> gated = tf.switchCond(asFloat(grads[i]), finite).outputTrue();
      pairs.add(new Optimizer.GradAndVar<>(gated, vars.get(i).asOutput()));
    }
    String name = g.uniqueName("optimizer");
    Optimizer optimizer = spec.create(g.graph(), name);
    Op apply = optimizer.applyGradients(pairs, name);
    if (!masked) {
      return new TrainStep(apply);
    }
    Ops after = tf.withControlDependencies(List.of(apply));
    List<Op> maskOps = new ArrayList<>();
    for (ModelGraph.WeightedLayer w : g.weightedLayers()) {
      maskOps.add(after.assign(w.kernel(), after.math.mul(w.kernel(), w.mask())));
      for (String slot : spec.slotNames()) {
        optimizer.getSlot(w.kernel().asOutput(), slot).ifPresent(
            s -> maskOps.add(after.assign(s, after.math.mul(s, w.mask()))));
      }
    }
    maskOps.add(after.noOp());
    return new TrainStep(tf.withControlDependencies(maskOps).noOp());
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> asFloat(Output<?> o) {
    return (Operand<TFloat32>) o;
  }
}
