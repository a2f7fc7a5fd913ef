package org.fwprune.core.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.fwprune.core.io.AtomicFiles;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerVariable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Exports a model as a TensorFlow SavedModel for serving: a fresh inference-only graph whose
 * variables hold the current (already masked) weights, so the served graph has no mask, dropout or
 * training ops. Signature {@value #SIGNATURE_KEY}: input {@value #INPUT} (float32
 * {@code [batch, h, w, c]}), output {@value #OUTPUT} (class probabilities, or scores when the
 * model has no final softmax).
 */
public final class SavedModelWriter {

  /** Signature key of the serving function. */
  public static final String SIGNATURE_KEY = "serving_default";
  /** Name of the signature's input. */
  public static final String INPUT = "images";
  /** Name of the signature's output. */
  public static final String OUTPUT = "output";

  private SavedModelWriter() {}

  /**
   * Writes the SavedModel to {@code dir} atomically (a temporary sibling folder renamed into
   * place); {@code dir} must not exist yet.
   *
   * @param weights values of every layer tensor, keyed as {@code Cnn.parameters()}
   */
  public static void export(Architecture architecture, Map<String, float[]> weights, Path dir)
      throws IOException {
    if (Files.exists(dir)) {
      throw new IOException("cannot export to " + dir.toAbsolutePath().normalize()
          + ": it already exists");
    }
    AtomicFiles.writeFolder(dir, tmp -> write(architecture, weights, tmp));
  }

  private static void write(Architecture architecture, Map<String, float[]> weights, Path dir)
      throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> images = tf.withName(INPUT).placeholder(TFloat32.class,
          Placeholder.shape(Forward.inputShape(architecture)));
      Map<String, Operand<TFloat32>> variables = new HashMap<>();
      for (LayerVariable v : architecture.variables()) {
        String layer = v.key().substring(0, v.key().indexOf('/'));
        Ops scope = tf.withSubScope(layer);
        variables.put(v.key(), scope.withName(v.role().suffix()).variable(
            constant(scope, weights, v.key(), Shape.of(v.dims()))));
      }
      Operand<TFloat32> logits = Forward.logits(tf, architecture, images, variables::get, false);
      Operand<TFloat32> output = architecture.endsWithSoftmax()
          ? tf.withName(OUTPUT).nn.softmax(logits) : tf.withName(OUTPUT).identity(logits);
      try (Session session = new Session(graph)) {
        session.initialize();
        Signature signature = Signature.builder().key(SIGNATURE_KEY)
            .input(INPUT, images).output(OUTPUT, output).build();
        SavedModelBundle.exporter(dir.toString())
            .withFunction(SessionFunction.create(signature, session))
            .export();
      }
    }
  }

  private static Operand<TFloat32> constant(Ops tf, Map<String, float[]> weights, String key,
      Shape shape) {
    float[] values = weights.get(key);
    if (values == null || values.length != shape.size()) {
      throw new IllegalArgumentException("weights for " + key + " must have " + shape.size()
          + " values, got " + (values == null ? "none" : values.length));
    }
    return tf.withInitScope().constant(shape, DataBuffers.of(values, true, false));
  }
}
