package org.fwprune.core.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable.Role;
import org.fwprune.core.runtime.Precision;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The ops every model has, built once with its variables: input placeholders, the training and
 * inference passes, loss and metrics, the model output, the mask multiply and the BatchNorm
 * moving-statistics update (at Keras' rate, debiased while warming up, and at a fed rate for
 * recalibration).
 */
record ModelOps(ModelVariables variables, Placeholder<TFloat32> images,
    Placeholder<TInt32> labels, Operand<TFloat32> trainLoss, Operand<TFloat32> trainCorrect,
    Operand<TFloat32> lossSum, Operand<TFloat32> correct, Operand<TFloat32> output,
    Op maskWeights, Op updateStatistics, Placeholder<TFloat32> statisticsRate,
    Op recalibrateStatistics) {

  static ModelOps build(Ops tf, Architecture architecture, ModelVariables variables,
      Precision precision) {
    Placeholder<TFloat32> images = tf.withName("images").placeholder(TFloat32.class,
        Placeholder.shape(Forward.inputShape(architecture)));
    Placeholder<TInt32> labels = tf.withName("labels").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE)));
    Forward.Parameters parameters = variables::variable;
    Forward.Pass train = Forward.pass(tf.withSubScope("train"), architecture, images, parameters,
        true, precision, (layer, h) -> h);
    Operand<TFloat32> logits = Forward.pass(tf.withSubScope("infer"), architecture, images,
        parameters, false, precision, (layer, h) -> h).logits();
    int classes = architecture.numClasses();
    Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(classes), tf.constant(1f),
        tf.constant(0f));
    Operand<TFloat32> trainLoss = tf.withName("train_loss").math.mean(
        tf.nn.softmaxCrossEntropyWithLogits(train.logits(), oneHot).loss(), tf.constant(0));
    Operand<TFloat32> lossSum = tf.sum(tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss(),
        tf.constant(0));
    Operand<TFloat32> output = architecture.endsWithSoftmax()
        ? tf.withName("probabilities").nn.softmax(logits) : tf.withName("scores").identity(logits);
    List<Op> maskOps = new ArrayList<>();
    for (ModelGraph.WeightedLayer w : variables.weighted()) {
      maskOps.add(tf.assign(w.kernel(), tf.math.mul(w.kernel(), w.mask())));
    }
    List<Op> statistics = new ArrayList<>();
    // The same update with the rate fed: 1 / i at the i-th batch makes the moving statistics the
    // plain mean over the batches seen (recalibration, BatchNormRecalibration).
    Placeholder<TFloat32> statisticsRate = tf.withName("statistics_rate").placeholder(
        TFloat32.class, Placeholder.shape(Shape.scalar()));
    List<Op> recalibrate = new ArrayList<>();
    for (Forward.BatchStatistics s : train.statistics()) {
      Operand<TFloat32> rate = movingRate(tf, (LayerSpec.BatchNorm) s.layer().spec(), variables);
      Variable<TFloat32> mean = variables.variable(s.layer().key(Role.MOVING_MEAN));
      Variable<TFloat32> variance = variables.variable(s.layer().key(Role.MOVING_VARIANCE));
      statistics.add(movingUpdate(tf, mean, s.mean(), rate));
      statistics.add(movingUpdate(tf, variance, s.variance(), rate));
      recalibrate.add(movingUpdate(tf, mean, s.mean(), statisticsRate));
      recalibrate.add(movingUpdate(tf, variance, s.variance(), statisticsRate));
    }
    if (architecture.debiasesBatchNorm()) {
      // Counted after the updates have read the count, so the t-th update sees t - 1.
      Variable<TFloat32> updates = variables.variable(ModelGraph.STATISTICS_UPDATES_KEY);
      statistics = List.of(tf.withControlDependencies(statistics).assignAdd(updates,
          tf.constant(new float[] {1f})));
    }
    return new ModelOps(variables, images, labels, trainLoss, correctCount(tf, train.logits(),
        labels), lossSum, correctCount(tf, logits, labels), output,
        tf.withControlDependencies(maskOps).noOp(),
        tf.withControlDependencies(statistics).withName("update_statistics").noOp(),
        statisticsRate,
        tf.withControlDependencies(recalibrate).withName("recalibrate_statistics").noOp());
  }

  /**
   * The rate {@code 1 - decay} of a BatchNorm's moving statistics: Keras' {@code 1 - momentum},
   * or with debiasing {@code max(1 - momentum, 9 / (10 + t))} after t updates, which is {@code 1 -
   * min(momentum, (1 + t) / (10 + t))} (TensorFlow's {@code ExponentialMovingAverage} with {@code
   * num_updates}; the offset 10 is {@link LayerSpec.BatchNorm#WARM_UP_OFFSET}, whose Java form is
   * {@link LayerSpec.BatchNorm#warmingUp}). Written as a max with the constant so that, once warmed up, the rate is the
   * very float32 Keras' update uses.
   */
  private static Operand<TFloat32> movingRate(Ops tf, LayerSpec.BatchNorm spec,
      ModelVariables variables) {
    Operand<TFloat32> keras = tf.constant((float) (1 - spec.momentum()));
    if (!spec.debias()) {
      return keras;
    }
    Operand<TFloat32> t = tf.reshape(variables.variable(ModelGraph.STATISTICS_UPDATES_KEY),
        tf.constant(new long[0]));
    float offset = (float) LayerSpec.BatchNorm.WARM_UP_OFFSET;
    return tf.math.maximum(keras, tf.math.div(tf.constant(offset - 1),
        tf.math.add(tf.constant(offset), t)));
  }

  private static Op movingUpdate(Ops tf, Variable<TFloat32> moving, Operand<TFloat32> batch,
      Operand<TFloat32> rate) {
    return tf.assignSub(moving, tf.math.mul(tf.math.sub(moving, batch), rate));
  }

  private static Operand<TFloat32> correctCount(Ops tf, Operand<TFloat32> logits,
      Operand<TInt32> labels) {
    Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    return tf.sum(tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class),
        tf.constant(0));
  }
}
