package org.fwprune.core.model;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One layer of a {@link Cnn}, as pure data: the architecture is a list of these, so it can be
 * printed, saved, compared and rebuilt into a TensorFlow graph.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = LayerSpec.Conv2d.class, name = "conv2d"),
  @JsonSubTypes.Type(value = LayerSpec.Relu.class, name = "relu"),
  @JsonSubTypes.Type(value = LayerSpec.MaxPool.class, name = "maxPool"),
  @JsonSubTypes.Type(value = LayerSpec.Flatten.class, name = "flatten"),
  @JsonSubTypes.Type(value = LayerSpec.Dropout.class, name = "dropout"),
  @JsonSubTypes.Type(value = LayerSpec.Dense.class, name = "dense"),
  @JsonSubTypes.Type(value = LayerSpec.Softmax.class, name = "softmax")
})
public sealed interface LayerSpec {

  /** Largest filter, unit, kernel or stride count accepted; far above any CNN that fits in memory. */
  int MAX_SIZE = 1 << 16;

  /** Keras-style type name used in layer names and summaries, e.g. {@code conv2d}. */
  String typeName();

  /** Keras-style class name shown by {@link Cnn#summary()}, e.g. {@code Conv2D}. */
  String displayName();

  /** Whether the layer owns a kernel and a bias. */
  default boolean hasWeights() {
    return false;
  }

  /** 2-D convolution with a square kernel, followed by a bias (Glorot-uniform kernel, zero bias). */
  record Conv2d(int filters, int kernel, int stride, Padding padding) implements LayerSpec {
    /** Checks every field against its allowed range. */
    public Conv2d {
      checkArgument(filters >= 1 && filters <= MAX_SIZE,
          "conv2d filters must be in [1, %s], got %s", MAX_SIZE, filters);
      checkArgument(kernel >= 1 && kernel <= MAX_SIZE,
          "conv2d kernel size must be in [1, %s], got %s", MAX_SIZE, kernel);
      checkArgument(stride >= 1 && stride <= MAX_SIZE,
          "conv2d stride must be in [1, %s], got %s", MAX_SIZE, stride);
      checkArgument(padding != null, "conv2d padding must be VALID or SAME, got null");
    }

    @Override
    public String typeName() {
      return "conv2d";
    }

    @Override
    public String displayName() {
      return "Conv2D";
    }

    @Override
    public boolean hasWeights() {
      return true;
    }
  }

  /** Rectified linear activation. */
  record Relu() implements LayerSpec {
    @Override
    public String typeName() {
      return "re_lu";
    }

    @Override
    public String displayName() {
      return "ReLU";
    }
  }

  /** Max pooling over square windows with no padding. */
  record MaxPool(int size, int stride) implements LayerSpec {
    /** Checks every field against its allowed range. */
    public MaxPool {
      checkArgument(size >= 1 && size <= MAX_SIZE,
          "maxPool size must be in [1, %s], got %s", MAX_SIZE, size);
      checkArgument(stride >= 1 && stride <= MAX_SIZE,
          "maxPool stride must be in [1, %s], got %s", MAX_SIZE, stride);
    }

    @Override
    public String typeName() {
      return "max_pooling2d";
    }

    @Override
    public String displayName() {
      return "MaxPooling2D";
    }
  }

  /** Reshapes a height x width x channels activation into a vector. */
  record Flatten() implements LayerSpec {
    @Override
    public String typeName() {
      return "flatten";
    }

    @Override
    public String displayName() {
      return "Flatten";
    }
  }

  /** Inverted dropout, active only while training (Srivastava et al. 2014). */
  record Dropout(double rate) implements LayerSpec {
    /** Checks that the rate lies in [0, 1). */
    public Dropout {
      checkArgument(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got %s", rate);
    }

    @Override
    public String typeName() {
      return "dropout";
    }

    @Override
    public String displayName() {
      return "Dropout";
    }
  }

  /** Fully connected layer with a bias (Glorot-uniform kernel, zero bias). */
  record Dense(int units) implements LayerSpec {
    /** Checks that the unit count is positive and bounded. */
    public Dense {
      checkArgument(units >= 1 && units <= MAX_SIZE,
          "dense units must be in [1, %s], got %s", MAX_SIZE, units);
    }

    @Override
    public String typeName() {
      return "dense";
    }

    @Override
    public String displayName() {
      return "Dense";
    }

    @Override
    public boolean hasWeights() {
      return true;
    }
  }

  /** Softmax over the last axis; as the last layer it turns logits into class probabilities. */
  record Softmax() implements LayerSpec {
    @Override
    public String typeName() {
      return "softmax";
    }

    @Override
    public String displayName() {
      return "Softmax";
    }
  }
}
