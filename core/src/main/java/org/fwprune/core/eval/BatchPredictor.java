package org.fwprune.core.eval;

import org.fwprune.core.data.Dataset;

/**
 * Anything that turns a whole data set into one output row per example, batch by batch, such as the {@code Cnn} facade.
 * {@link InferenceTimer} times this interface instead of the facade so that evaluation stays
 * below the facade in the package layering.
 */
@FunctionalInterface
public interface BatchPredictor {

  /** One output row per example of {@code data}: class probabilities or scores. */
  float[][] predict(Dataset data);
}
