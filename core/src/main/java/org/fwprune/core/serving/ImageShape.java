package org.fwprune.core.serving;

import org.fwprune.core.check.Require;

/**
 * The shape of one image a {@link Predictor} takes: height, width and channels, stored row-major
 * with channels last (HWC), as the library's data sets hold images.
 *
 * @param height image height in pixels, at least 1
 * @param width image width in pixels, at least 1
 * @param channels channels per pixel, at least 1
 */
public record ImageShape(int height, int width, int channels) {

  /** Checks that every side is at least 1 and the image has at most 2^31 - 1 floats. */
  public ImageShape {
    Require.atLeast("height", height, 1);
    Require.atLeast("width", width, 1);
    Require.atLeast("channels", channels, 1);
    Require.inClosed("image size", (long) height * width * channels, 1, Integer.MAX_VALUE);
  }

  /** Number of floats of one image. */
  public int size() {
    return height * width * channels;
  }

  /**
   * Checks that {@code image} holds exactly one image of this shape.
   *
   * @throws IllegalArgumentException naming the expected and the found length
   */
  public float[] check(float[] image) {
    if (image == null) {
      throw new IllegalArgumentException("image must not be null; expected " + size()
          + " floats (" + this + ")");
    }
    if (image.length != size()) {
      throw new IllegalArgumentException("expected one " + this + " image of " + size()
          + " floats, got " + image.length);
    }
    return image;
  }

  /** The shape as text, e.g. {@code 28x28x1 (height x width x channels, channels last)}. */
  @Override
  public String toString() {
    return height + "x" + width + "x" + channels + " (height x width x channels, channels last)";
  }
}
