package org.fwprune.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.fwprune.core.data.Dataset;

/**
 * The Keras models written by {@code tools/keras/make_fixtures.py} (real Keras 3, jax backend):
 * each as {@code <name>.keras} and {@code <name>.h5}, with inputs and Keras' predictions for them
 * in {@code <name>.json}.
 */
public final class KerasFixtures {

  /** Every fixture model's name. */
  public static final List<String> NAMES =
      List.of("sequential_cnn", "functional_resnet", "logits_cnn", "paper_cnn");

  private KerasFixtures() {}

  /** Inputs (labels all 0) and Keras' outputs for them, flattened row-major. */
  public record Probe(Dataset inputs, float[] outputs, int classes) {}

  /**
   * The Keras Applications miniatures written by {@code tools/keras/make_family_fixtures.py},
   * under {@code keras/families/}: each family's own block code at a small width and input, and
   * {@code layer_options}, every activation function and ReLU option.
   */
  public static final List<String> FAMILIES = List.of("resnet50", "resnet50v2", "mobilenet_v2",
      "mobilenet", "densenet121", "mobilenet_v3_small", "efficientnet_b0", "xception",
      "layer_options", "convnext_tiny", "nasnet_mobile", "more_layers", "regnetx_002",
      "dilated", "dilated_depthwise", "prelu_axes");

  /**
   * The miniatures' folder in core's source tree, as seen from another module's folder (the
   * working directory of its tests): their tests read the files there, since resources inside the
   * test jar have no file path.
   */
  public static final Path FAMILIES_IN_SOURCE_TREE = Path.of("..", "core", "src", "test",
      "resources", "keras", "families");

  /** The path of test resource {@code keras/<file>}. */
  public static Path path(String file) {
    URL url = KerasFixtures.class.getResource("/keras/" + file);
    if (url == null) {
      throw new IllegalArgumentException("no test resource keras/" + file);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The probe inputs and expected outputs of fixture {@code name}. */
  public static Probe probe(String name) {
    try {
      JsonNode json = new ObjectMapper().readTree(path(name + ".json").toFile());
      JsonNode shape = json.get("input_shape");
      int n = shape.get(0).asInt();
      int classes = json.get("output_shape").get(1).asInt();
      Dataset inputs = Dataset.of(floats(json.get("inputs")), new int[n], shape.get(1).asInt(),
          shape.get(2).asInt(), shape.get(3).asInt(), classes);
      return new Probe(inputs, floats(json.get("outputs")), classes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }
}
