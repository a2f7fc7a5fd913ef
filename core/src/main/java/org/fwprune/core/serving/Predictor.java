package org.fwprune.core.serving;

/**
 * A model prepared for serving single requests: {@link #predict} takes one image and returns its
 * scores. Thread-safe and reusable: many threads may call {@link #predict} at once, each call
 * independent of the others. Holds native memory; close it when done (a call after {@link
 * #close} throws {@link IllegalStateException}).
 *
 * <pre>{@code
 * try (Predictor predictor = model.predictor()) {
 *   float[] scores = predictor.predict(image);  // height * width * channels floats, channels last
 * }
 * }</pre>
 */
public interface Predictor extends AutoCloseable {

  /**
   * The scores of one image: class probabilities when the network ends with a softmax, the last
   * layer's output otherwise; the same values as {@code Cnn.predict} gives for that image.
   *
   * @param image {@code height * width * channels} floats in row-major HWC order (channels last),
   *     as {@code Dataset.image(i)} returns them
   * @throws IllegalArgumentException if the image does not have {@link #input()}'s length
   * @throws IllegalStateException if the predictor has been closed
   */
  float[] predict(float[] image);

  /** The image shape {@link #predict} takes. */
  ImageShape input();

  /** Number of scores {@link #predict} returns. */
  int outputSize();

  /** Which engine runs the model, e.g. {@code tensorflow-session} or {@code onnxruntime}. */
  String engine();

  /** Releases the engine's native memory; idempotent, throws no checked exception. */
  @Override
  void close();
}
