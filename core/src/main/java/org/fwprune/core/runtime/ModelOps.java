package org.fwprune.core.runtime;

import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable.Role;
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
 * moving-statistics update (at Keras' fixed rate, and at a fed rate for recalibration).
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
      // Keras' update: moving -= (moving - batch) * (1 - momentum).
      Operand<TFloat32> rate = tf.constant(
          (float) (1 - ((LayerSpec.BatchNorm) s.layer().spec()).momentum()));
      Variable<TFloat32> mean = variables.variable(s.layer().key(Role.MOVING_MEAN));
      Variable<TFloat32> variance = variables.variable(s.layer().key(Role.MOVING_VARIANCE));
      statistics.add(movingUpdate(tf, mean, s.mean(), rate));
      statistics.add(movingUpdate(tf, variance, s.variance(), rate));
      recalibrate.add(movingUpdate(tf, mean, s.mean(), statisticsRate));
      recalibrate.add(movingUpdate(tf, variance, s.variance(), statisticsRate));
    }
    return new ModelOps(variables, images, labels, trainLoss, correctCount(tf, train.logits(),
        labels), lossSum, correctCount(tf, logits, labels), output,
        tf.withControlDependencies(maskOps).noOp(),
        tf.withControlDependencies(statistics).withName("update_statistics").noOp(),
        statisticsRate,
        tf.withControlDependencies(recalibrate).withName("recalibrate_statistics").noOp());
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
