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
      "GlobalAveragePooling2D", "Flatten", "Dropout", "Add", "ZeroPadding2D", "DepthwiseConv2D",
      "SeparableConv2D", "Concatenate", "Multiply", "Reshape", "Rescaling", "Normalization",
      "LayerNormalization", "LayerScale", "Cropping2D", "GlobalMaxPooling2D", "LeakyReLU",
      "Softmax", "Subtract", "Average", "Maximum", "Identity", "SpatialDropout2D",
      "CustomScaleLayer", "PReLU");

  /** The model classes read, at the top and nested as a layer of another model. */
  public static final List<String> MODELS = List.of("Sequential", "Functional");

  /** The activation names read, in Conv2D, Dense and Activation layers. */
  static final List<String> ACTIVATIONS = activationNames();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final List<Node> nodes = new ArrayList<>();
  /** Keras layer name to the node computing its output (activations split or skipped). */
  private final Map<String, String> outputOf = new HashMap<>();
  /** Keras layer name to its weights group in a .keras archive. */
  private final Map<String, String> groups = new HashMap<>();
  /** Node name to where its tensors are in the file, for nodes not read one-to-one. */
  private final Map<String, Source> sources = new HashMap<>();
  /** Tensors given in the config instead of the weights file, by parameter key. */
  private final Map<String, float[]> configValues = new HashMap<>();
  /** Kernel shapes as the file stores them, by parameter key, where they differ from the node's. */
  private final Map<String, long[]> storedShapes = new HashMap<>();
  /** Names the weight groups of the model being read: the outer one, or a nested model's. */
  private ArchiveWeightNames groupNames = new ArchiveWeightNames();
  /** Where the model being read keeps its layers' groups: empty, or a nested model's path. */
  private String groupPrefix = "";
  /** The first nested model read, if any. */
  private String nestedModel;
  private int[] inputShape;

  /** An imported model: its architecture and every layer tensor, keyed as {@link org.fwprune.core.Cnn#parameters()}. */
  public record Imported(Architecture architecture, Map<String, float[]> values) {}

  /**
   * Where a node's tensors are: the Keras layer holding them, that layer's tensor count, and for
   * each of the node's variables its index there, or {@link #ABSENT} for a tensor the Keras layer
   * lacks and that keeps its neutral value (a BatchNormalization without {@code scale} or
   * {@code center}).
   */
  private record Source(String layer, int stored, int[] indices) {
    static final int ABSENT = -1;
  }

  private KerasImport(Path file) {
    this.file = file;
  }

  /** The model's architecture and weights, read from an opened Keras file. */
  public static Imported read(KerasFile keras) throws IOException {
    KerasImport reader = new KerasImport(keras.path());
    Architecture architecture = reader.architecture(keras.config());
    if (reader.nestedModel != null && keras.format() != KerasFile.Format.KERAS_V3) {
      // A legacy .h5 file keeps a nested model's weights under its own layout; the .keras
      // archive's nested groups are what is read.
      throw new IllegalArgumentException(keras.path() + ": layer " + reader.nestedModel
          + " is a nested model, read from .keras archives only; save the model as .keras");
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Layer layer : architecture.resolvedLayers()) {
      List<LayerVariable> variables = layer.variables();
      if (variables.isEmpty()) {
        continue;
      }
      if (reader.configValues.containsKey(variables.get(0).key())) {
        for (LayerVariable v : variables) {
          values.put(v.key(), reader.configValue(layer, v));
        }
        continue;
      }
      Source source = reader.sources.getOrDefault(layer.name(), new Source(layer.name(),
          variables.size(), java.util.stream.IntStream.range(0, variables.size()).toArray()));
      String key = keras.weightsKey(source.layer(), reader.groups.get(source.layer()));
      int stored = keras.weightCount(key);
      if (stored != source.stored()) {
        throw new IOException(keras.path() + ": layer " + source.layer() + " has " + stored
            + " weight tensors (under " + key + ") but its config needs " + source.stored()
            + " (" + variables.stream().map(v -> v.role().suffix()).toList() + ")");
      }
      for (int i = 0; i < variables.size(); i++) {
        LayerVariable v = variables.get(i);
        values.put(v.key(), source.indices()[i] == Source.ABSENT ? neutral(v)
            : keras.weight(key, source.indices()[i],
                reader.storedShapes.getOrDefault(v.key(), v.dims())));
      }
    }
    return new Imported(architecture, values);
  }

  /** A BatchNorm's scale of ones or offset of zeros, for a Keras layer without them. */
  private static float[] neutral(LayerVariable v) {
    float[] values = new float[Math.toIntExact(v.size())];
    java.util.Arrays.fill(values, v.role() == LayerVariable.Role.GAMMA ? 1f : 0f);
    return values;
  }

  /** A tensor given in the config, one value per channel or one for all. */
  private float[] configValue(Layer layer, LayerVariable v) {
    float[] given = configValues.get(v.key());
    int channels = layer.channels();
    if (given.length == channels) {
      return given;
    }
    if (given.length != 1) {
      throw new IllegalArgumentException(file + ": layer " + layer.name() + " gives "
          + given.length + " values of " + v.role().suffix() + " for " + channels + " channels");
    }
    float[] out = new float[channels];
    java.util.Arrays.fill(out, given[0]);
    return out;
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
      previous = MODELS.contains(className(layer)) ? nestedOutput(layer, name(layer), previous)
          : layer(layer, name(layer), List.of(previous));
    }
  }

  private void functional(JsonNode config, JsonNode layers) {
    single(config.path("input_layers"), "inputs");
    String output = single(config.path("output_layers"), "outputs");
    functionalLayers(layers, null);
    String last = outputOf.get(output);
    if (last == null || nodes.isEmpty() || !nodes.get(nodes.size() - 1).name().equals(last)) {
      throw new IllegalArgumentException("the output layer " + output
          + " must be the last layer listed");
    }
  }

  /**
   * Reads a functional model's layers; {@code input} is the node a nested model's InputLayer
   * stands for, or null at the top, where the InputLayer is the model's input.
   */
  private void functionalLayers(JsonNode layers, String input) {
    for (JsonNode layer : layers) {
      String name = name(layer);
      JsonNode inbound = layer.path("inbound_nodes");
      if ("InputLayer".equals(layer.path("class_name").asText())) {
        if (input == null) {
          layer(layer, name, List.of());
        } else {
          outputOf.put(name, input);
        }
        continue;
      }
      if (layer.path("module").asText("").startsWith(KerasOperations.MODULE_PREFIX)) {
        operation(layer, name, inbound);
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
        inputs.add(input(layer, name, tensor));
      }
      if (MODELS.contains(className(layer))) {
        nested(layer, name, inputs);
      } else {
        layer(layer, name, inputs);
      }
    }
  }

  /**
   * A Sequential or Functional model used as a layer (ConvNeXt's stem and downsampling blocks):
   * its layers become nodes of this graph under their own names, reading {@code inputs}; their
   * weights are in the nested model's group of a .keras archive, named per class afresh there.
   */
  private void nested(JsonNode layer, String name, List<String> inputs) {
    String kind = className(layer);
    String input = single(name, kind, inputs);
    JsonNode config = layer.path("config");
    JsonNode layers = config.path("layers");
    if (!layers.isArray() || layers.isEmpty()) {
      throw new IllegalArgumentException("nested model " + name + " (" + kind
          + ") lists no layers");
    }
    if (nestedModel == null) {
      nestedModel = name;
    }
    ArchiveWeightNames outerNames = groupNames;
    String outerPrefix = groupPrefix;
    groupPrefix = outerPrefix + groupNames.next(kind) + "/layers/";
    groupNames = new ArchiveWeightNames();
    try {
      String out;
      if (kind.equals("Sequential")) {
        out = input;
        for (JsonNode inner : layers) {
          if (!"InputLayer".equals(className(inner))) {
            out = MODELS.contains(className(inner)) ? nestedOutput(inner, name(inner), out)
                : layer(inner, name(inner), List.of(out));
          }
        }
      } else {
        single(config.path("input_layers"), "inputs (nested model " + name + ")");
        String output = single(config.path("output_layers"), "outputs (nested model " + name
            + ")");
        functionalLayers(layers, input);
        out = outputOf.get(output);
        if (out == null) {
          throw new IllegalArgumentException("nested model " + name + " outputs " + output
              + ", which is not one of its layers");
        }
      }
      outputOf.put(name, out);
    } finally {
      groupNames = outerNames;
      groupPrefix = outerPrefix;
    }
  }

  private String nestedOutput(JsonNode layer, String name, String input) {
    nested(layer, name, List.of(input));
    return outputOf.get(name);
  }

  /** The node computing the Keras tensor {@code tensor} that layer {@code name} reads. */
  private String input(JsonNode layer, String name, JsonNode tensor) {
    String source = tensor.path("config").path("keras_history").path(0).asText(null);
    String node = source == null ? null : outputOf.get(source);
    if (node == null) {
      throw new IllegalArgumentException("layer " + name + " (" + className(layer)
          + ") reads " + source + ", which is not a layer listed before it");
    }
    return node;
  }

  /**
   * A Keras 3 operation node (arithmetic written on tensors in a functional graph, such as
   * MobileNetV3's {@code x + 3}): with a constant it becomes a {@link LayerSpec.Rescaling}, between
   * two tensors an {@link LayerSpec.Add} or {@link LayerSpec.Multiply}.
   */
  private void operation(JsonNode layer, String name, JsonNode inbound) {
    if (!inbound.isArray() || inbound.size() != 1) {
      throw new IllegalArgumentException("operation " + name + " (" + className(layer)
          + ") is called " + inbound.size() + " times; shared operations are not supported");
    }
    List<String> tensors = new ArrayList<>();
    List<Object> operands = new ArrayList<>();
    for (JsonNode arg : inbound.get(0).path("args")) {
      if (arg.isNumber()) {
        operands.add(arg.asDouble());
      } else if ("__keras_tensor__".equals(arg.path("class_name").asText())) {
        String node = input(layer, name, arg);
        tensors.add(node);
        operands.add(node);
      } else {
        throw new IllegalArgumentException("operation " + name + " (" + className(layer)
            + ") takes " + arg + "; supported are " + KerasOperations.DESCRIPTION);
      }
    }
    LayerSpec spec = KerasOperations.spec(name, className(layer), operands);
    outputOf.put(name, add(name, spec, tensors));
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
    groups.put(name, groupPrefix + groupNames.next(kind));
    Options o = new Options(name, kind, c);
    o.channelsLast();
    if (kind.endsWith("Pooling2D")) {
      o.require("dilation_rate", "[1,1]");
    }
    String out = switch (kind) {
      case "InputLayer" -> {
        input(c.has("batch_shape") ? c.path("batch_shape") : c.path("batch_input_shape"),
            "layer " + name + " (InputLayer)");
        yield Architecture.INPUT;
      }
      case "Conv2D" -> {
        int groupCount = o.config().has("groups") ? o.positive("groups") : 1;
        // Files written before dilation existed (old .h5) have no dilation_rate: dilation 1.
        JsonNode rate = o.config().path("dilation_rate");
        int[] dilation = rate.isMissingNode() || rate.isNull() ? new int[] {1, 1}
            : o.pair("dilation_rate");
        if (groupCount != 1 && dilation[0] * dilation[1] == 1 && depthwise(layer, o, groupCount)) {
          yield grouped(o, name, groupCount, inputs);
        }
        yield activation(name, o.text("activation"), add(name, conv2d(o, groupCount, dilation),
            inputs));
      }
      case "DepthwiseConv2D" -> {
        String conv = add(name, depthwiseConv2d(o, o.flag("use_bias")), inputs);
        yield activation(name, o.text("activation"), conv);
      }
      case "SeparableConv2D" -> {
        // Keras' SeparableConv2D is a depthwise convolution, then a 1x1 convolution and the
        // bias: two nodes here, so that every kernel is one layer's (pruners and the
        // channel analysis see a depthwise and a pointwise layer).
        boolean bias = o.flag("use_bias");
        String depthwise = name + "_depthwise";
        add(depthwise, depthwiseConv2d(o, false), inputs);
        sources.put(depthwise, new Source(name, bias ? 3 : 2, new int[] {0}));
        String pointwise = add(name, new LayerSpec.Conv2d(o.positive("filters"), 1, 1,
            Padding.VALID, bias), List.of(depthwise));
        sources.put(pointwise, new Source(name, bias ? 3 : 2, bias ? new int[] {1, 2}
            : new int[] {1}));
        yield activation(name, o.text("activation"), pointwise);
      }
      case "Dense" -> {
        String dense = add(name, new LayerSpec.Dense(o.positive("units"), o.flag("use_bias")),
            inputs);
        yield activation(name, o.text("activation"), dense);
      }
      case "BatchNormalization" -> {
        if (!(List.of("-1", "3", "[-1]", "[3]").contains(c.path("axis").toString()))) {
          throw o.unsupported("axis " + c.path("axis") + " (only the channels axis, -1)");
        }
        // Without scale or center, Keras stores no gamma or beta: they stay 1 and 0 here.
        boolean scale = o.flag("scale");
        boolean center = o.flag("center");
        String bn = add(name, new LayerSpec.BatchNorm(o.number("momentum"), o.number("epsilon")),
            inputs);
        int next = 0;
        int gamma = scale ? next++ : Source.ABSENT;
        int beta = center ? next++ : Source.ABSENT;
        sources.put(bn, new Source(name, next + 2, new int[] {gamma, beta, next, next + 1}));
        yield bn;
      }
      case "ReLU" -> add(name, relu(o), inputs);
      case "Activation" -> activation(name, o.text("activation"), single(name, kind, inputs));
      case "MaxPooling2D" -> {
        Padding padding = o.padding();
        int size = o.square("pool_size");
        yield add(name, new LayerSpec.MaxPool(size, o.strides(size), padding), inputs);
      }
      case "AveragePooling2D" -> {
        Padding padding = o.padding();
        int size = o.square("pool_size");
        yield add(name, new LayerSpec.AvgPool(size, o.strides(size), padding), inputs);
      }
      case "GlobalAveragePooling2D" -> add(name,
          new LayerSpec.GlobalAvgPool(o.flag("keepdims", false)), inputs);
      case "GlobalMaxPooling2D" -> add(name,
          new LayerSpec.GlobalMaxPool(o.flag("keepdims", false)), inputs);
      case "LeakyReLU" -> add(name, leakyRelu(o), inputs);
      case "PReLU" -> prelu(layer, o, name, inputs);
      case "Softmax" -> {
        if (!(List.of("-1", "[-1]").contains(c.path("axis").toString()))) {
          throw o.unsupported("axis " + c.path("axis") + " (only the last axis, -1)");
        }
        yield add(name, new LayerSpec.Softmax(), inputs);
      }
      // The identity at inference, and in training a dropout of single values rather than of
      // whole channels.
      case "SpatialDropout2D" -> add(name, new LayerSpec.Dropout(o.number("rate")), inputs);
      case "Identity" -> single(name, kind, inputs);
      case "Maximum" -> add(name, new LayerSpec.Maximum(), inputs);
      // x - y as x + (-1 y): negation is exact, so the sum is Keras' difference to the bit.
      case "Subtract" -> {
        if (inputs.size() != 2) {
          throw o.unsupported(inputs.size() + " inputs (Subtract takes two)");
        }
        String negated = add(name + "_negated", new LayerSpec.Rescaling(-1, 0),
            List.of(inputs.get(1)));
        yield add(name, new LayerSpec.Add(), List.of(inputs.get(0), negated));
      }
      // Keras sums, then divides by the count: here the sum, then a product by its inverse.
      case "Average" -> {
        String sum = add(name + "_sum", new LayerSpec.Add(), inputs);
        yield add(name, new LayerSpec.Rescaling(1.0 / inputs.size(), 0), List.of(sum));
      }
      // InceptionResNetV2's residual join, inputs[0] + inputs[1] scale.
      case "CustomScaleLayer" -> {
        if (inputs.size() != 2) {
          throw o.unsupported(inputs.size() + " inputs (CustomScaleLayer takes two)");
        }
        String scaled = add(name + "_scaled", new LayerSpec.Rescaling(o.number("scale"), 0),
            List.of(inputs.get(1)));
        yield add(name, new LayerSpec.Add(), List.of(inputs.get(0), scaled));
      }
      case "Flatten" -> add(name, new LayerSpec.Flatten(), inputs);
      case "Dropout" -> add(name, new LayerSpec.Dropout(o.number("rate")), inputs);
      case "Add" -> add(name, new LayerSpec.Add(), inputs);
      case "Multiply" -> add(name, new LayerSpec.Multiply(), inputs);
      case "Concatenate" -> {
        if (!(List.of("-1", "3").contains(c.path("axis").toString()))) {
          throw o.unsupported("axis " + c.path("axis") + " (only the channels axis, -1)");
        }
        yield add(name, new LayerSpec.Concat(), inputs);
      }
      case "ZeroPadding2D" -> add(name, o.zeroPadding(), inputs);
      case "Reshape" -> add(name, new LayerSpec.Reshape(o.positives("target_shape")), inputs);
      case "Rescaling" -> add(name, new LayerSpec.Rescaling(o.number("scale"),
          o.number("offset")), inputs);
      case "LayerNormalization" -> {
        if (!(List.of("-1", "3", "[-1]", "[3]").contains(c.path("axis").toString()))) {
          throw o.unsupported("axis " + c.path("axis") + " (only the last axis, -1)");
        }
        o.require("rms_scaling", "false");
        // Without scale or center, Keras stores no gamma or beta: they stay 1 and 0 here.
        boolean scale = o.flag("scale");
        boolean center = o.flag("center");
        String norm = add(name, new LayerSpec.LayerNorm(o.number("epsilon")), inputs);
        int next = 0;
        int gamma = scale ? next++ : Source.ABSENT;
        int beta = center ? next++ : Source.ABSENT;
        sources.put(norm, new Source(name, next, new int[] {gamma, beta}));
        yield norm;
      }
      case "LayerScale" -> add(name, new LayerSpec.LayerScale(), inputs);
      case "Cropping2D" -> {
        int[] sides = o.sides("cropping");
        try {
          yield add(name, new LayerSpec.Cropping(sides[0], sides[1], sides[2], sides[3]),
              inputs);
        } catch (IllegalArgumentException e) {
          throw o.unsupported("cropping " + c.path("cropping") + " (" + e.getMessage() + ")");
        }
      }
      case "Normalization" -> {
        if (!(List.of("-1", "3", "[-1]", "[3]").contains(c.path("axis").toString()))) {
          throw o.unsupported("axis " + c.path("axis") + " (only the channels axis, -1)");
        }
        o.require("invert", "false");
        String norm = add(name, new LayerSpec.Normalization(), inputs);
        if (c.path("mean").isNull() || c.path("mean").isMissingNode()) {
          // Keras' adapted statistics are weights: mean, variance and the sample count.
          sources.put(norm, new Source(name, 3, new int[] {0, 1}));
        } else {
          configValues.put(norm + "/" + LayerVariable.Role.MEAN.suffix(), o.numbers("mean"));
          configValues.put(norm + "/" + LayerVariable.Role.VARIANCE.suffix(),
              o.numbers("variance"));
        }
        yield norm;
      }
      default -> throw new IllegalStateException("unhandled supported layer " + kind);
    };
    outputOf.put(name, out);
    return out;
  }

  /**
   * A Keras PReLU: its {@code shared_axes} (1, 2 and 3 on an image, 1 on a vector; none by
   * default, a slope per input value) become the spec's shared axes. Keras stores one slope per
   * channel on an image as {@code (1, 1, C)}, which is read into fwprune's {@code [C]}; every
   * other alpha has Keras' own shape.
   */
  private String prelu(JsonNode layer, Options o, String name, List<String> inputs) {
    JsonNode shape = inputShape(layer);
    if (!shape.isArray() || (shape.size() != 4 && shape.size() != 2)) {
      throw o.unsupported("an input of " + (shape.isArray() ? shape.size() + " axes"
          : "unknown shape") + " (only images and vectors)");
    }
    LayerSpec.PRelu.Axis[] axes = shape.size() == 4 ? LayerSpec.PRelu.Axis.values()
        : new LayerSpec.PRelu.Axis[] {LayerSpec.PRelu.Axis.CHANNELS};
    java.util.Set<LayerSpec.PRelu.Axis> shared = java.util.EnumSet.noneOf(
        LayerSpec.PRelu.Axis.class);
    for (JsonNode a : o.config().path("shared_axes")) {
      if (!a.isIntegralNumber() || a.asInt() < 1 || a.asInt() > axes.length) {
        throw o.unsupported("shared_axes " + o.config().path("shared_axes") + " on an input of "
            + shape.size() + " axes (axes 1 to " + axes.length + ")");
      }
      shared.add(axes[a.asInt() - 1]);
    }
    if (shape.size() == 2 && !shared.contains(LayerSpec.PRelu.Axis.CHANNELS)) {
      shared = LayerSpec.PRelu.PER_CHANNEL;  // on a vector, height and width do not apply
    }
    LayerSpec.PRelu spec = new LayerSpec.PRelu(shared);
    String prelu = add(name, spec, inputs);
    if (shape.size() == 4 && spec.perChannel()) {
      storedShapes.put(prelu + "/" + LayerVariable.Role.ALPHA.suffix(),
          new long[] {1, 1, shape.get(3).asInt()});
    }
    return prelu;
  }

  /** The shape of a layer's input as its file records it, batch axis first; empty if absent. */
  private static JsonNode inputShape(JsonNode layer) {
    JsonNode shape = layer.path("build_config").path("input_shape");
    if (!shape.isArray() || shape.isEmpty()) {
      shape = layer.path("inbound_nodes").path(0).path("args").path(0).path("config")
          .path("shape");
    }
    return shape;
  }

  /**
   * A Conv2D's options as a convolution: grouped ({@code groups} above 1, RegNet's 3x3
   * convolutions) and dilated ({@code dilation_rate} above 1) ones included; what the record
   * refuses (filters not a multiple of groups, dilation with a stride) is refused naming the layer.
   */
  private static LayerSpec.Conv2d conv2d(Options o, int groupCount, int[] dilation) {
    Padding padding = o.padding();
    int[] kernel = o.pair("kernel_size");
    int[] strides = o.pair("strides");
    try {
      return new LayerSpec.Conv2d(o.positive("filters"), kernel[0], strides[0], padding,
          o.flag("use_bias"), kernel[1], strides[1], groupCount, dilation[0], dilation[1]);
    } catch (IllegalArgumentException e) {
      throw o.unsupported(e.getMessage());
    }
  }

  /**
   * A DepthwiseConv2D's options, or a SeparableConv2D's depthwise half's, as a depthwise
   * convolution with a bias only if {@code bias}; a square {@code dilation_rate} (absent in old
   * files: 1) spaces its taps. What the record refuses (dilation with a stride) is refused naming
   * the layer.
   */
  private static LayerSpec.DepthwiseConv2d depthwiseConv2d(Options o, boolean bias) {
    JsonNode rate = o.config().path("dilation_rate");
    int dilation = rate.isMissingNode() || rate.isNull() ? 1 : o.square("dilation_rate");
    Padding padding = o.padding();
    try {
      return new LayerSpec.DepthwiseConv2d(o.square("kernel_size"), o.square("strides"),
          padding, o.positive("depth_multiplier"), bias, dilation);
    } catch (IllegalArgumentException e) {
      throw o.unsupported(e.getMessage());
    }
  }

  /**
   * Whether a grouped Conv2D has one group per input channel, a square window and a whole number
   * of filters per group (ConvNeXt's 7x7 convolutions): then it is read as a depthwise
   * convolution, which structured pruning follows channel by channel, rather than as a grouped
   * convolution, which it leaves whole.
   */
  private static boolean depthwise(JsonNode layer, Options o, int groupCount) {
    JsonNode shape = inputShape(layer);
    int channels = shape.isArray() && !shape.isEmpty() ? shape.get(shape.size() - 1).asInt(-1)
        : -1;
    int[] kernel = o.pair("kernel_size");
    int[] strides = o.pair("strides");
    return groupCount == channels && o.positive("filters") % groupCount == 0
        && kernel[0] == kernel[1] && strides[0] == strides[1];
  }

  /**
   * A Conv2D with one group per input channel ({@link #depthwise}) as a depthwise convolution
   * with depth multiplier {@code filters / groups}; its kernel, stored as {@code [k, k, 1,
   * filters]}, holds the same values in the same order as the depthwise {@code [k, k, channels,
   * multiplier]}.
   */
  private String grouped(Options o, String name, int groupCount, List<String> inputs) {
    int filters = o.positive("filters");
    Padding padding = o.padding();
    int kernel = o.square("kernel_size");
    int stride = o.square("strides");
    int multiplier = filters / groupCount;
    String conv = add(name, new LayerSpec.DepthwiseConv2d(kernel, stride, padding, multiplier,
        o.flag("use_bias")), inputs);
    storedShapes.put(conv + "/" + LayerVariable.Role.KERNEL.suffix(),
        new long[] {kernel, kernel, 1, filters});
    return activation(name, o.text("activation"), conv);
  }

  private static String single(String name, String kind, List<String> inputs) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("layer " + name + " (" + kind + ") has " + inputs.size()
          + " inputs; it takes one");
    }
    return inputs.get(0);
  }

  private static List<String> activationNames() {
    List<String> names = new ArrayList<>(List.of("linear", "relu", "relu6", "softmax"));
    for (org.fwprune.core.model.Activation a : org.fwprune.core.model.Activation.values()) {
      names.add(a.kerasName());
    }
    return List.copyOf(names);
  }

  /**
   * A Keras LeakyReLU ({@code negative_slope}, or {@code alpha} in older files): Keras computes
   * {@code x >= 0 ? x : slope x}, which the ReLU with a slope computes exactly.
   */
  private static LayerSpec.Relu leakyRelu(Options o) {
    double slope = o.config().has("negative_slope") ? o.number("negative_slope")
        : o.number("alpha");
    try {
      return new LayerSpec.Relu(LayerSpec.Relu.NO_MAX, slope, 0);
    } catch (IllegalArgumentException e) {
      throw o.unsupported(e.getMessage());
    }
  }

  /** A Keras ReLU layer's options, refusing what Keras itself refuses. */
  private static LayerSpec.Relu relu(Options o) {
    JsonNode max = o.config().get("max_value");
    double cap = max == null || max.isNull() ? LayerSpec.Relu.NO_MAX : o.number("max_value");
    JsonNode slope = o.config().get("negative_slope");
    JsonNode threshold = o.config().get("threshold");
    try {
      return new LayerSpec.Relu(cap, slope == null || slope.isNull() ? 0
          : o.number("negative_slope"), threshold == null || threshold.isNull() ? 0
          : o.number("threshold"));
    } catch (IllegalArgumentException e) {
      throw o.unsupported(e.getMessage());
    }
  }

  /**
   * The node of the activation of Keras layer {@code layer}, reading {@code input}: none for
   * linear (the input's node computes the output), else a node called {@code layer} when the
   * layer is an {@code Activation}, or {@code <layer>_<activation>} after a convolution or dense
   * layer.
   */
  private String activation(String layer, String activation, String input) {
    String node = input.equals(layer) ? layer + "_" + activation : layer;
    LayerSpec spec = switch (activation) {
      case "linear" -> null;
      case "relu" -> new LayerSpec.Relu();
      case "relu6" -> LayerSpec.Relu.capped(6);
      case "softmax" -> new LayerSpec.Softmax();
      default -> new LayerSpec.Nonlinearity(org.fwprune.core.model.Activation
          .ofKerasName(activation).orElseThrow(() -> new IllegalArgumentException("layer "
              + layer + ": activation '" + activation + "' is not supported; supported"
              + " activations: " + String.join(", ", ACTIVATIONS))));
    };
    return spec == null ? input : add(node, spec, List.of(input));
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
      return flag(field, true);
    }

    boolean flag(String field, boolean absent) {
      JsonNode v = config.get(field);
      if (v == null || v.isNull()) {
        return absent;
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

    /** A list of numbers, or one number. */
    float[] numbers(String field) {
      JsonNode v = field(field);
      if (v.isNumber()) {
        return new float[] {(float) v.asDouble()};
      }
      if (!v.isArray() || v.isEmpty()) {
        throw unsupported(field + " " + v);
      }
      float[] out = new float[v.size()];
      for (int i = 0; i < out.length; i++) {
        if (!v.get(i).isNumber()) {
          throw unsupported(field + " " + v);
        }
        out[i] = (float) v.get(i).asDouble();
      }
      return out;
    }

    /** A list of positive sizes (a target shape). */
    List<Integer> positives(String field) {
      JsonNode v = field(field);
      List<Integer> out = new ArrayList<>();
      for (JsonNode n : v) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
          throw unsupported(field + " " + v + " (only known positive sizes)");
        }
        out.add(n.asInt());
      }
      if (!v.isArray() || out.isEmpty() || out.size() > 3) {
        throw unsupported(field + " " + v + " (1 to 3 axes)");
      }
      return out;
    }

    /** Keras' ZeroPadding2D padding: n, [rows, columns] or [[top, bottom], [left, right]]. */
    LayerSpec.ZeroPadding zeroPadding() {
      int[] sides = sides("padding");
      try {
        return new LayerSpec.ZeroPadding(sides[0], sides[1], sides[2], sides[3]);
      } catch (IllegalArgumentException e) {
        throw unsupported("padding " + config.get("padding") + " (" + e.getMessage() + ")");
      }
    }

    /**
     * Top, bottom, left and right, given as n, [rows, columns] or [[top, bottom], [left,
     * right]] (ZeroPadding2D's padding, Cropping2D's cropping).
     */
    int[] sides(String field) {
      JsonNode v = field(field);
      int[] sides = new int[4];
      if (v.isIntegralNumber()) {
        java.util.Arrays.fill(sides, v.asInt());
      } else if (v.isArray() && v.size() == 2 && v.get(0).isIntegralNumber()
          && v.get(1).isIntegralNumber()) {
        sides = new int[] {v.get(0).asInt(), v.get(0).asInt(), v.get(1).asInt(),
            v.get(1).asInt()};
      } else if (v.isArray() && v.size() == 2 && v.get(0).size() == 2 && v.get(1).size() == 2) {
        for (int i = 0; i < 4; i++) {
          JsonNode n = v.get(i / 2).get(i % 2);
          if (!n.isIntegralNumber()) {
            throw unsupported(field + " " + v);
          }
          sides[i] = n.asInt();
        }
      } else {
        throw unsupported(field + " " + v);
      }
      return sides;
    }

    /** A size given as n or [height, width]. */
    int[] pair(String field) {
      JsonNode v = field(field);
      if (v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 1) {
        return new int[] {v.asInt(), v.asInt()};
      }
      if (v.isArray() && v.size() == 2) {
        int[] out = new int[2];
        for (int i = 0; i < 2; i++) {
          JsonNode n = v.get(i);
          if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
            throw unsupported(field + " " + v);
          }
          out[i] = n.asInt();
        }
        return out;
      }
      throw unsupported(field + " " + v);
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

    Padding padding() {
      String padding = text("padding");
      return switch (padding) {
        case "valid" -> Padding.VALID;
        case "same" -> Padding.SAME;
        default -> throw unsupported("padding '" + padding + "'");
      };
    }
  }
}
