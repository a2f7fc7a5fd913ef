package org.fwprune.core.runtime.internal;

import java.util.HashMap;
import java.util.Map;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.serving.ImageShape;
import org.fwprune.core.serving.EnginePredictor;
import org.fwprune.core.serving.Predictor;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The TensorFlow engine of {@link Predictor}: a graph of its own, built once for one image
 * ({@code [1, h, w, c]}, so every shape is static), the weights as constants with masks folded in,
 * BatchNorm in inference form and no training, mask or dropout op, so that TensorFlow's graph
 * optimizer can fold constants and fuse each convolution with its bias, BatchNorm and ReLU
 * (oneDNN). A request copies the image into one tensor, runs the session once and reads the
 * output; nothing else is allocated or built per call. Session runs are thread-safe in
 * TensorFlow and share {@link ModelSession}'s read lock, which {@link #close} waits for.
 */
public final class SessionPredictor extends EnginePredictor {

  /** The engine name {@link #engine()} returns. */
  public static final String ENGINE = "tensorflow-session";

  private final ModelSession session;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> output;
  private final Shape imageDims;

  private SessionPredictor(ModelSession session, Placeholder<TFloat32> input,
      Operand<TFloat32> output, ImageShape shape, int outputSize) {
    super(ENGINE, shape, outputSize);
    this.session = session;
    this.input = input;
    this.output = output;
    this.imageDims = Shape.of(1, shape.height(), shape.width(), shape.channels());
  }

  /**
   * Builds the predictor of {@code architecture} with {@code weights} (every layer tensor, keyed
   * as {@code Cnn.parameters()}), its session threads as {@code execution} says.
   */
  public static SessionPredictor open(Architecture architecture, Map<String, float[]> weights,
      ExecutionOptions execution) {
    ImageShape shape = new ImageShape(architecture.height(), architecture.width(),
        architecture.channels());
    record Built(Placeholder<TFloat32> input, Operand<TFloat32> output) {}
    ModelSession.Opened<Built> opened = ModelSession.open(execution, tf -> {
      Placeholder<TFloat32> images = tf.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(1, shape.height(), shape.width(), shape.channels())));
      Map<String, Operand<TFloat32>> constants = new HashMap<>();
      for (LayerVariable v : architecture.variables()) {
        constants.put(v.key(), constant(tf, weights, v));
      }
      Operand<TFloat32> logits = Forward.logits(tf, architecture, images, constants::get, false);
      Operand<TFloat32> out = architecture.endsWithSoftmax() ? tf.nn.softmax(logits) : logits;
      return new Built(images, out);
    });
    return new SessionPredictor(opened.session(), opened.built().input(),
        opened.built().output(), shape, outputSize(architecture));
  }

  /** Number of floats one image's output has: the last layer's per-example size. */
  public static int outputSize(Architecture architecture) {
    return architecture.resolvedLayers().get(architecture.nodes().size() - 1).outputShape()
        .stream().reduce(1, (a, b) -> a * b);
  }

  private static Operand<TFloat32> constant(Ops tf, Map<String, float[]> weights,
      LayerVariable v) {
    float[] values = weights.get(v.key());
    if (values == null || values.length != v.size()) {
      throw new IllegalArgumentException("weights for " + v.key() + " must have " + v.size()
          + " values, got " + (values == null ? "none" : values.length));
    }
    return tf.constant(Shape.of(v.dims()), DataBuffers.of(values, true, false));
  }

  @Override
  protected float[] compute(float[] image) {
    try (TFloat32 x = TFloat32.tensorOf(imageDims)) {
      x.asRawTensor().data().asFloats().write(image);
      return session.run(r -> r.feed(input, x).fetch(output).run(), result -> {
        float[] scores = new float[outputSize()];
        ((TFloat32) result.get(0)).asRawTensor().data().asFloats().read(scores);
        return scores;
      });
    }
  }

  @Override
  protected void release() {
    session.close();
  }
}
