package org.fwprune.core.keras.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.model.Node;
import org.fwprune.core.model.Padding;

/**
 * Turns a Keras model config (Sequential or Functional, Keras 3's JSON) into an
 * {@link Architecture} whose nodes carry the Keras layers' names, and reads the matching weights.
 * A Conv2D or Dense with a relu or softmax activation becomes two nodes, the second named
 * {@code <layer>_relu} or {@code <layer>_softmax}; linear activations become no node.
 *
 * <p>Anything the library cannot compute exactly as Keras does is refused with an
 * {@link IllegalArgumentException} naming the file, the layer and its class, before any model is
 * built.
 */
public final class KerasImport {

  /** The Keras layer classes read, in the order the docs list them. */
  public static final List<String> SUPPORTED = List.of("InputLayer", "Conv2D", "Dense",
      "BatchNormalization", "ReLU", "Activation", "MaxPooling2D", "AveragePooling2D",
      "GlobalAveragePooling2D", "Flatten", "Dropout", "Add");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final List<Node> nodes = new ArrayList<>();
  /** Keras layer name to the node computing its output (activations split or skipped). */
  private final Map<String, String> outputOf = new HashMap<>();
  /** Keras layer name to its weights group in a .keras archive. */
  private final Map<String, String> groups = new HashMap<>();
  private final ArchiveWeightNames groupNames = new ArchiveWeightNames();
  private int[] inputShape;

  /** An imported model: its architecture and every layer tensor, keyed as {@link org.fwprune.core.Cnn#parameters()}. */
  public record Imported(Architecture architecture, Map<String, float[]> values) {}

  private KerasImport(Path file) {
    this.file = file;
  }

  /** The model's architecture and weights, read from an opened Keras file. */
  public static Imported read(KerasFile keras) throws IOException {
    KerasImport reader = new KerasImport(keras.path());
    Architecture architecture = reader.architecture(keras.config());
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Layer layer : architecture.resolvedLayers()) {
      List<LayerVariable> variables = layer.variables();
      if (variables.isEmpty()) {
        continue;
      }
      String key = keras.weightsKey(layer.name(), reader.groups.get(layer.name()));
      int stored = keras.weightCount(key);
      if (stored != variables.size()) {
        throw new IOException(keras.path() + ": layer " + layer.name() + " has " + stored
            + " weight tensors (under " + key + ") but its config needs " + variables.size()
            + " (" + variables.stream().map(v -> v.role().suffix()).toList() + ")");
      }
      for (int i = 0; i < variables.size(); i++) {
        values.put(variables.get(i).key(), keras.weight(key, i, variables.get(i).dims()));
      }
    }
    return new Imported(architecture, values);
  }

  /** The architecture described by {@code configJson}. */
  private Architecture architecture(String configJson) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(configJson);
    } catch (IOException e) {
      throw new IOException(file + ": the model config is not valid JSON: "
          + e.getMessage(), e);
    }
    try {
      return model(root);
    } catch (IllegalArgumentException e) {
      throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e
          : new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private Architecture model(JsonNode root) {
    String kind = root.path("class_name").asText();
    JsonNode config = root.path("config");
    JsonNode layers = config.path("layers");
    if (!layers.isArray() || layers.isEmpty()) {
      throw new IllegalArgumentException("the config of model class '" + kind + "' lists no"
          + " layers; supported are Sequential and Functional models of the layers " + SUPPORTED);
    }
    switch (kind) {
      case "Sequential" -> sequential(config, layers);
      case "Functional", "Model" -> functional(config, layers);
      default -> throw new IllegalArgumentException("model class '" + kind + "' is not supported"
          + " (a subclassed or custom model?); supported are Sequential and Functional models of"
          + " the layers " + SUPPORTED);
    }
    if (inputShape == null) {
      throw new IllegalArgumentException("the model has no input shape (no InputLayer)");
    }
    for (int i = 0; i < nodes.size() - 1; i++) {
      if (nodes.get(i).spec() instanceof LayerSpec.Softmax) {
        throw new IllegalArgumentException("layer " + nodes.get(i).name() + " applies a softmax"
            + " before the output; fwprune supports softmax only as the model's last layer");
      }
    }
    return new Architecture(inputShape[0], inputShape[1], inputShape[2], nodes,
        Architecture.DEFAULT_SEED);
  }

  private void sequential(JsonNode config, JsonNode layers) {
    if (!"InputLayer".equals(layers.get(0).path("class_name").asText())) {
      input(config.path("build_input_shape"), "the Sequential model");
    }
    String previous = Architecture.INPUT;
    for (JsonNode layer : layers) {
      previous = layer(layer, name(layer), List.of(previous));
    }
  }

  private void functional(JsonNode config, JsonNode layers) {
    single(config.path("input_layers"), "inputs");
    String output = single(config.path("output_layers"), "outputs");
    for (JsonNode layer : layers) {
      String name = name(layer);
      JsonNode inbound = layer.path("inbound_nodes");
      if ("InputLayer".equals(layer.path("class_name").asText())) {
        layer(layer, name, List.of());
        continue;
      }
      if (!inbound.isArray() || inbound.size() != 1) {
        throw new IllegalArgumentException("layer " + name + " (" + className(layer)
            + ") is called " + inbound.size() + " times; shared layers are not supported");
      }
      JsonNode args = inbound.get(0).path("args");
      JsonNode tensors = args.path(0).isArray() ? args.path(0) : args;
      if (tensors.isEmpty()) {
        throw new IllegalArgumentException("layer " + name + " (" + className(layer)
            + ") has no input");
      }
      List<String> inputs = new ArrayList<>();
      for (JsonNode tensor : tensors) {
        String source = tensor.path("config").path("keras_history").path(0).asText(null);
        String node = source == null ? null : outputOf.get(source);
        if (node == null) {
          throw new IllegalArgumentException("layer " + name + " (" + className(layer)
              + ") reads " + source + ", which is not a layer listed before it");
        }
        inputs.add(node);
      }
      layer(layer, name, inputs);
    }
    String last = outputOf.get(output);
    if (last == null || nodes.isEmpty() || !nodes.get(nodes.size() - 1).name().equals(last)) {
      throw new IllegalArgumentException("the output layer " + output
          + " must be the last layer listed");
    }
  }

  /** The one layer named by {@code input_layers} or {@code output_layers}. */
  private static String single(JsonNode triples, String what) {
    JsonNode triple = triples.path(0).isArray() ? triples : null;
    if (triple == null || triple.size() == 1) {
      JsonNode only = triple == null ? triples : triples.get(0);
      if (only.isArray() && only.size() >= 1 && only.get(0).isTextual()) {
        return only.get(0).asText();
      }
    }
    throw new IllegalArgumentException("models with several " + what + " are not supported"
        + " (found " + triples + "); fwprune models have one image input and one output");
  }

  /** Adds the nodes for one Keras layer and returns the node computing its output. */
  private String layer(JsonNode layer, String name, List<String> inputs) {
    String kind = className(layer);
    JsonNode c = layer.path("config");
    String module = layer.path("module").asText("keras.layers");
    if (!SUPPORTED.contains(kind) || !module.startsWith("keras")
        || !layer.path("registered_name").isNull() && !layer.path("registered_name").isMissingNode()
            && !layer.path("registered_name").asText().equals(kind)) {
      throw new IllegalArgumentException("layer " + name + " (" + kind
          + (module.startsWith("keras") ? "" : ", module " + module)
          + ") is not supported; supported layers: " + String.join(", ", SUPPORTED));
    }
    groups.put(name, groupNames.next(kind));
    Options o = new Options(name, kind, c);
    o.channelsLast();
    String out = switch (kind) {
      case "InputLayer" -> {
        input(c.has("batch_shape") ? c.path("batch_shape") : c.path("batch_input_shape"),
            "layer " + name + " (InputLayer)");
        yield Architecture.INPUT;
      }
      case "Conv2D" -> {
        o.require("dilation_rate", "[1,1]");
        o.require("groups", "1");
        Padding padding = o.padding(true);
        String conv = add(name, new LayerSpec.Conv2d(o.positive("filters"),
            o.square("kernel_size"), o.square("strides"), padding, o.flag("use_bias")), inputs);
        String activation = o.text("activation");
        yield activation(name + "_" + activation, name, activation, conv);
      }
      case "Dense" -> {
        String dense = add(name, new LayerSpec.Dense(o.positive("units"), o.flag("use_bias")),
            inputs);
        String activation = o.text("activation");
        yield activation(name + "_" + activation, name, activation, dense);
      }
      case "BatchNormalization" -> {
        if (!(List.of("-1", "3", "[-1]", "[3]").contains(c.path("axis").toString()))) {
          throw o.unsupported("axis " + c.path("axis") + " (only the channels axis, -1)");
        }
        o.require("center", "true");
        o.require("scale", "true");
        yield add(name, new LayerSpec.BatchNorm(o.number("momentum"), o.number("epsilon")),
            inputs);
      }
      case "ReLU" -> {
        o.requireZeroOrNull("max_value");
        o.requireZeroOrNull("negative_slope");
        o.requireZeroOrNull("threshold");
        yield add(name, new LayerSpec.Relu(), inputs);
      }
      case "Activation" -> activation(name, name, o.text("activation"),
          single(name, kind, inputs));
      case "MaxPooling2D" -> {
        o.padding(false);
        int size = o.square("pool_size");
        yield add(name, new LayerSpec.MaxPool(size, o.strides(size)), inputs);
      }
      case "AveragePooling2D" -> {
        o.padding(false);
        int size = o.square("pool_size");
        yield add(name, new LayerSpec.AvgPool(size, o.strides(size)), inputs);
      }
      case "GlobalAveragePooling2D" -> {
        if (c.path("keepdims").asBoolean(false)) {
          throw o.unsupported("keepdims true");
        }
        yield add(name, new LayerSpec.GlobalAvgPool(), inputs);
      }
      case "Flatten" -> add(name, new LayerSpec.Flatten(), inputs);
      case "Dropout" -> add(name, new LayerSpec.Dropout(o.number("rate")), inputs);
      case "Add" -> add(name, new LayerSpec.Add(), inputs);
      default -> throw new IllegalStateException("unhandled supported layer " + kind);
    };
    outputOf.put(name, out);
    return out;
  }

  private static String single(String name, String kind, List<String> inputs) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("layer " + name + " (" + kind + ") has " + inputs.size()
          + " inputs; it takes one");
    }
    return inputs.get(0);
  }

  /**
   * The node of an activation called {@code node} after {@code input}: none for linear (the
   * input's node computes the output), else a ReLU or softmax node.
   */
  private String activation(String node, String layer, String activation, String input) {
    return switch (activation) {
      case "linear" -> input;
      case "relu" -> add(node, new LayerSpec.Relu(), List.of(input));
      case "softmax" -> add(node, new LayerSpec.Softmax(), List.of(input));
      default -> throw new IllegalArgumentException("layer " + layer + ": activation '"
          + activation + "' is not supported; supported activations: linear, relu, softmax");
    };
  }

  private String add(String name, LayerSpec spec, List<String> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("layer " + name + " has no input");
    }
    if (spec.combinesInputs() != inputs.size() > 1) {
      throw new IllegalArgumentException("layer " + name + " (" + spec.displayName() + ") has "
          + inputs.size() + " inputs");
    }
    nodes.add(new Node(name, spec, inputs));
    return name;
  }

  private void input(JsonNode batchShape, String where) {
    if (inputShape != null) {
      throw new IllegalArgumentException("models with several inputs are not supported (" + where
          + " is a second input)");
    }
    if (!batchShape.isArray() || batchShape.size() != 4 || !batchShape.get(1).isInt()
        || !batchShape.get(2).isInt() || !batchShape.get(3).isInt()) {
      throw new IllegalArgumentException(where + " has input shape " + batchShape
          + "; expected [batch, height, width, channels] with known sizes (images, channels last)");
    }
    inputShape = new int[] {batchShape.get(1).asInt(), batchShape.get(2).asInt(),
        batchShape.get(3).asInt()};
  }

  private static String name(JsonNode layer) {
    String name = layer.path("config").path("name").asText(layer.path("name").asText(null));
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a layer of class " + className(layer) + " has no name");
    }
    return name;
  }

  private static String className(JsonNode layer) {
    return layer.path("class_name").asText("?");
  }

  /** Reads one layer's options, refusing values fwprune's layers cannot reproduce. */
  private record Options(String name, String kind, JsonNode config) {

    IllegalArgumentException unsupported(String what) {
      return new IllegalArgumentException("layer " + name + " (" + kind + "): " + what
          + " is not supported; supported layers: " + String.join(", ", SUPPORTED)
          + ", channels last, square windows");
    }

    private JsonNode field(String field) {
      JsonNode v = config.get(field);
      if (v == null || v.isNull()) {
        throw new IllegalArgumentException("layer " + name + " (" + kind + ") has no " + field);
      }
      return v;
    }

    void channelsLast() {
      JsonNode format = config.get("data_format");
      if (format != null && !format.isNull() && !"channels_last".equals(format.asText())) {
        throw unsupported("data_format " + format + " (only channels_last)");
      }
    }

    void require(String field, String expected) {
      JsonNode v = config.get(field);
      if (v != null && !v.isNull() && !v.toString().replace(" ", "").equals(expected)) {
        throw unsupported(field + " " + v);
      }
    }

    void requireZeroOrNull(String field) {
      JsonNode v = config.get(field);
      if (v != null && !v.isNull() && v.asDouble(1) != 0) {
        throw unsupported(field + " " + v);
      }
    }

    String text(String field) {
      JsonNode v = field(field);
      if (!v.isTextual()) {
        throw unsupported(field + " " + v + " (only the built-in linear, relu and softmax)");
      }
      return v.asText();
    }

    boolean flag(String field) {
      JsonNode v = config.get(field);
      if (v == null || v.isNull()) {
        return true;
      }
      if (!v.isBoolean()) {
        throw unsupported(field + " " + v);
      }
      return v.asBoolean();
    }

    double number(String field) {
      JsonNode v = field(field);
      if (!v.isNumber()) {
        throw unsupported(field + " " + v);
      }
      return v.asDouble();
    }

    int positive(String field) {
      JsonNode v = field(field);
      if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
        throw unsupported(field + " " + v);
      }
      return v.asInt();
    }

    /** A size given as n or [n, n]; rectangular windows are refused. */
    int square(String field) {
      JsonNode v = field(field);
      if (v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 1) {
        return v.asInt();
      }
      if (v.isArray() && v.size() == 2 && v.get(0).isIntegralNumber()
          && v.get(0).canConvertToInt() && v.get(0).asInt() >= 1 && v.get(0).equals(v.get(1))) {
        return v.get(0).asInt();
      }
      throw unsupported(field + " " + v + " (only square sizes such as [3, 3])");
    }

    int strides(int poolSize) {
      JsonNode v = config.get("strides");
      return v == null || v.isNull() ? poolSize : square("strides");
    }

    Padding padding(boolean sameAllowed) {
      String padding = text("padding");
      return switch (padding) {
        case "valid" -> Padding.VALID;
        case "same" -> {
          if (!sameAllowed) {
            throw unsupported("padding 'same' (pooling supports 'valid' only)");
          }
          yield Padding.SAME;
        }
        default -> throw unsupported("padding '" + padding + "'");
      };
    }
  }
}
