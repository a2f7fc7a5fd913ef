package org.fwprune.core.train.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Builds one optimizer's update of every trainable variable, with its state (slots, beta powers)
 * as variables that {@link #resets()} clears, and its settings read from placeholders: the
 * learning rate first, then the kind's own (momentum; or beta1, beta2, epsilon).
 */
final class Update {

  private final Ops tf;
  private final String name;
  private final List<Variable<TFloat32>> vars;
  private final List<Operand<TFloat32>> grads;
  private final List<Placeholder<TFloat32>> settings;
  private final Map<Variable<TFloat32>, List<Variable<TFloat32>>> slots = new HashMap<>();
  private final List<Op> resets = new ArrayList<>();

  Update(Ops tf, String name, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> grads,
      List<Placeholder<TFloat32>> settings) {
    this.tf = tf;
    this.name = name;
    this.vars = vars;
    this.grads = grads;
    this.settings = settings;
  }

  /** Plain gradient descent: {@code w -= lr g}. */
  Op sgd() {
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      ops.add(tf.train.applyGradientDescent(vars.get(i), settings.get(0), grads.get(i)));
    }
    return group(ops);
  }

  /** Heavy-ball or Nesterov momentum: {@code a = m a + g; w -= lr a} (TensorFlow's ApplyMomentum). */
  Op momentum(boolean nesterov) {
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Variable<TFloat32> accum = slot(vars.get(i), i, "momentum", 0f);
      ops.add(tf.train.applyMomentum(vars.get(i), accum, settings.get(0), grads.get(i),
          settings.get(1), org.tensorflow.op.train.ApplyMomentum.useNesterov(nesterov)));
    }
    return group(ops);
  }

  /** Adam (Kingma and Ba 2015) as TensorFlow's ApplyAdam, with beta powers starting at the betas. */
  Op adam() {
    Operand<TFloat32> beta1 = settings.get(1);
    Operand<TFloat32> beta2 = settings.get(2);
    Variable<TFloat32> beta1Power = state("beta1_power", beta1);
    Variable<TFloat32> beta2Power = state("beta2_power", beta2);
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Variable<TFloat32> m = slot(vars.get(i), i, "m", 0f);
      Variable<TFloat32> v = slot(vars.get(i), i, "v", 0f);
      ops.add(tf.train.applyAdam(vars.get(i), m, v, beta1Power, beta2Power, settings.get(0),
          beta1, beta2, settings.get(3), grads.get(i)));
    }
    Ops then = tf.withControlDependencies(ops);
    return group(List.of(then.assign(beta1Power, then.math.mul(beta1Power, beta1)),
        then.assign(beta2Power, then.math.mul(beta2Power, beta2))));
  }

  private Variable<TFloat32> slot(Variable<TFloat32> var, int index, String role, float value) {
    Ops init = tf.withInitScope();
    Variable<TFloat32> s = tf.withName(name + "_" + index + "_" + role).variable(
        init.fill(init.constant(var.shape().asArray()), init.constant(value)));
    resets.add(tf.assign(s, tf.zerosLike(s)));
    slots.computeIfAbsent(var, k -> new ArrayList<>()).add(s);
    return s;
  }

  private Variable<TFloat32> state(String role, Operand<TFloat32> resetValue) {
    Ops init = tf.withInitScope();
    Variable<TFloat32> s = tf.withName(name + "_" + role).variable(init.constant(1f));
    resets.add(tf.assign(s, resetValue));
    return s;
  }

  /** The slots of {@code var}, which must respect its mask. */
  List<Variable<TFloat32>> slotsOf(Variable<TFloat32> var) {
    return slots.getOrDefault(var, List.of());
  }

  /** Ops that clear the state for a new run. */
  List<Op> resets() {
    return resets.isEmpty() ? List.of(tf.noOp()) : resets;
  }

  private Op group(List<Op> ops) {
    return tf.withControlDependencies(ops).noOp();
  }
}
