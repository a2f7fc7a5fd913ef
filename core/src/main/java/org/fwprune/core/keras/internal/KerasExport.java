package org.fwprune.core.keras.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.model.Node;
import org.fwprune.core.model.Padding;

/**
 * Describes an {@link Architecture} as a Keras 3 Functional model config, one Keras layer per node
 * with the node's name (a softmax becomes {@code Activation("softmax")}), and writes it with the
 * weights as a {@code .keras} archive.
 */
public final class KerasExport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Where Keras defines LayerScale. */
  private static final String LAYER_SCALE_MODULE = "keras.src.applications.convnext";

  private KerasExport() {}

  public static void write(Path file, Architecture architecture, Map<String, float[]> parameters)
      throws IOException {
    List<Layer> layers = kerasOrder(architecture.resolvedLayers());
    String input = inputName(architecture);
    ArrayNode kerasLayers = F.arrayNode();
    ObjectNode inputConfig = F.objectNode();
    inputConfig.set("batch_shape", shape(List.of(architecture.height(), architecture.width(),
        architecture.channels())));
    inputConfig.put("dtype", "float32");
    inputConfig.put("sparse", false);
    inputConfig.put("name", input);
    kerasLayers.add(layer("InputLayer", input, inputConfig, null));
    Map<String, List<Integer>> shapes = new HashMap<>();
    shapes.put(Architecture.INPUT, List.of(architecture.height(), architecture.width(),
        architecture.channels()));
    List<KerasArchiveWriter.LayerWeights> weights = new ArrayList<>();
    ArchiveWeightNames groups = new ArchiveWeightNames();
    groups.next("InputLayer");
    for (Layer layer : layers) {
      ArrayNode tensors = F.arrayNode();
      for (String source : layer.inputs()) {
        ObjectNode tensorConfig = F.objectNode();
        tensorConfig.set("shape", shape(shapes.get(source)));
        tensorConfig.put("dtype", "float32");
        tensorConfig.set("keras_history", F.arrayNode()
            .add(source.equals(Architecture.INPUT) ? input : source).add(0).add(0));
        tensors.add(F.objectNode().put("class_name", "__keras_tensor__")
            .set("config", tensorConfig));
      }
      ObjectNode config = layer.spec().accept(new LayerConfig());
      config.put("name", layer.name());
      boolean statisticsInConfig = layer.spec() instanceof LayerSpec.Normalization;
      if (statisticsInConfig) {
        // Keras' Normalization given its mean and variance in the config owns no variables, so
        // the statistics travel in the config (Keras' own way for adapted-elsewhere statistics).
        config.set("mean", floats(parameters.get(layer.key(LayerVariable.Role.MEAN))));
        config.set("variance", floats(parameters.get(layer.key(LayerVariable.Role.VARIANCE))));
      }
      ObjectNode kerasLayer = layer(kerasClass(layer.spec()), layer.name(), config,
          tensors.size() == 1 ? tensors.get(0) : tensors);
      if (layer.spec() instanceof LayerSpec.LayerScale) {
        // Keras' LayerScale is ConvNeXt's own class, found by its module; its width is config.
        config.put("projection_dim", layer.channels());
        kerasLayer.put("module", LAYER_SCALE_MODULE);
        kerasLayer.put("registered_name", "LayerScale");
      }
      kerasLayers.add(kerasLayer);
      shapes.put(layer.name(), layer.outputShape());
      List<KerasArchiveWriter.Tensor> values = new ArrayList<>();
      boolean perChannelOnImage = layer.spec() instanceof LayerSpec.PRelu prelu
          && prelu.perChannel() && layer.outputShape().size() == 3;
      if (layer.spec() instanceof LayerSpec.PRelu prelu) {
        config.set("shared_axes", sharedAxes(prelu, layer.outputShape().size() == 3));
      }
      for (LayerVariable v : statisticsInConfig ? List.<LayerVariable>of() : layer.variables()) {
        // One slope per channel is [C] here and (1, 1, C) in Keras on an image.
        long[] dims = perChannelOnImage ? new long[] {1, 1, layer.channels()} : v.dims();
        values.add(new KerasArchiveWriter.Tensor(dims, parameters.get(v.key())));
      }
      weights.add(new KerasArchiveWriter.LayerWeights(groups.next(kerasClass(layer.spec())),
          values));
    }
    ObjectNode model = F.objectNode();
    model.put("name", "fwprune_model");
    model.put("trainable", true);
    model.set("layers", kerasLayers);
    model.set("input_layers", F.arrayNode().add(F.arrayNode().add(input).add(0).add(0)));
    model.set("output_layers", F.arrayNode().add(F.arrayNode()
        .add(layers.get(layers.size() - 1).name()).add(0).add(0)));
    ObjectNode root = F.objectNode();
    root.put("module", "keras.src.models.functional");
    root.put("class_name", "Functional");
    root.set("config", model);
    root.put("registered_name", "Functional");
    KerasArchiveWriter.write(file, JSON.writeValueAsString(root), weights);
  }

  /**
   * The layers in the order Keras gives a Functional model's layers ({@code map_graph} in
   * keras/src/ops/function.py): farthest from the output first (depth, the longest path to it),
   * ties in the order a depth-first walk from the output, inputs in order, first reaches them.
   * Keras names the archive's weight groups in this order ({@code conv2d}, {@code conv2d_1}, ...)
   * whatever the config's order, so the config lists the layers in it too, and a reader that
   * names groups in config order agrees. It differs from fwprune's order where branches of
   * unequal length meet, as after a {@code Subtract} read as a rescaling and an add.
   */
  static List<Layer> kerasOrder(List<Layer> layers) {
    Map<String, Layer> byName = new HashMap<>();
    layers.forEach(l -> byName.put(l.name(), l));
    Map<String, Integer> depth = new HashMap<>();
    for (int i = layers.size() - 1; i >= 0; i--) {
      Layer l = layers.get(i);
      int d = depth.getOrDefault(l.name(), 0);
      for (String in : l.inputs()) {
        depth.merge(in, d + 1, Math::max);
      }
    }
    Map<String, Integer> visited = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    stack.push(layers.get(layers.size() - 1).name());
    while (!stack.isEmpty()) {
      String name = stack.pop();
      Layer l = byName.get(name);
      if (l == null || visited.containsKey(name)) {
        continue;
      }
      visited.put(name, visited.size());
      for (int i = l.inputs().size() - 1; i >= 0; i--) {
        stack.push(l.inputs().get(i));
      }
    }
    List<Layer> out = new ArrayList<>(layers);
    out.sort(Comparator.<Layer>comparingInt(l -> -depth.getOrDefault(l.name(), 0))
        .thenComparingInt(l -> visited.get(l.name())));
    return out;
  }

  /** Keras' name of the input layer: {@code input_layer}, unless a node already has it. */
  private static String inputName(Architecture architecture) {
    String name = "input_layer";
    while (architecture.nodes().stream().map(Node::name).toList().contains(name)) {
      name = name + "_";
    }
    return name;
  }

  private static ObjectNode layer(String kerasClass, String name, ObjectNode config,
      com.fasterxml.jackson.databind.JsonNode args) {
    ObjectNode layer = F.objectNode();
    layer.put("module", "keras.layers");
    layer.put("class_name", kerasClass);
    layer.set("config", config);
    layer.putNull("registered_name");
    layer.put("name", name);
    ArrayNode inbound = F.arrayNode();
    if (args != null) {
      inbound.add(F.objectNode().<ObjectNode>set("args", F.arrayNode().add(args))
          .set("kwargs", F.objectNode()));
    }
    layer.set("inbound_nodes", inbound);
    return layer;
  }

  private static String kerasClass(LayerSpec spec) {
    return spec instanceof LayerSpec.Softmax ? "Activation" : spec.displayName();
  }

  private static ArrayNode shape(List<Integer> dims) {
    ArrayNode shape = F.arrayNode().addNull();
    dims.forEach(shape::add);
    return shape;
  }

  private static ArrayNode floats(float[] values) {
    ArrayNode out = F.arrayNode();
    for (float v : values) {
      out.add(v);
    }
    return out;
  }

  /**
   * A PReLU's Keras {@code shared_axes}: axes 1, 2, 3 on an image, 1 on a vector, null for none
   * (Keras' default, a slope per value).
   */
  private static JsonNode sharedAxes(LayerSpec.PRelu prelu, boolean image) {
    ArrayNode axes = F.arrayNode();
    for (LayerSpec.PRelu.Axis axis : prelu.sharedAxes()) {
      if (image) {
        axes.add(axis.ordinal() + 1);
      } else if (axis == LayerSpec.PRelu.Axis.CHANNELS) {
        axes.add(1);
      }
    }
    return axes.isEmpty() ? F.nullNode() : axes;
  }

  private static ArrayNode pair(int n) {
    return F.arrayNode().add(n).add(n);
  }

  /** Each layer's Keras config, without its name. */
  private static final class LayerConfig implements LayerSpec.Visitor<ObjectNode> {
    @Override
    public ObjectNode conv2d(LayerSpec.Conv2d spec) {
      ObjectNode c = F.objectNode().put("filters", spec.filters());
      window(c, spec.kernel(), spec.kernelWidth(), spec.stride(), spec.strideWidth(),
          spec.padding());
      c.set("dilation_rate", F.arrayNode().add(spec.dilation()).add(spec.dilationWidth()));
      return c.put("groups", spec.groups()).put("activation", "linear")
          .put("use_bias", spec.useBias());
    }

    /**
     * A convolution's window: kernel size, strides, padding, layout and dilation 1 (a Conv2D
     * replaces it with its own).
     */
    private static void window(ObjectNode c, int kernel, int kernelWidth, int stride,
        int strideWidth, Padding padding) {
      c.set("kernel_size", F.arrayNode().add(kernel).add(kernelWidth));
      c.set("strides", F.arrayNode().add(stride).add(strideWidth));
      c.put("padding", paddingName(padding));
      c.put("data_format", "channels_last");
      c.set("dilation_rate", pair(1));
    }

    @Override
    public ObjectNode batchNorm(LayerSpec.BatchNorm spec) {
      return F.objectNode().put("axis", -1).put("momentum", spec.momentum())
          .put("epsilon", spec.epsilon()).put("center", true).put("scale", true);
    }

    @Override
    public ObjectNode relu(LayerSpec.Relu spec) {
      ObjectNode c = F.objectNode();
      if (spec.maxValue() == LayerSpec.Relu.NO_MAX) {
        c.putNull("max_value");
      } else {
        c.put("max_value", spec.maxValue());
      }
      return c.put("negative_slope", spec.negativeSlope()).put("threshold", spec.threshold());
    }

    @Override
    public ObjectNode maxPool(LayerSpec.MaxPool spec) {
      return pool(spec.size(), spec.stride(), spec.padding());
    }

    @Override
    public ObjectNode avgPool(LayerSpec.AvgPool spec) {
      return pool(spec.size(), spec.stride(), spec.padding());
    }

    private static ObjectNode pool(int size, int stride, Padding padding) {
      ObjectNode c = F.objectNode();
      c.set("pool_size", pair(size));
      c.set("strides", pair(stride));
      return c.put("padding", paddingName(padding)).put("data_format", "channels_last");
    }

    private static String paddingName(Padding padding) {
      return padding == Padding.SAME ? "same" : "valid";
    }

    @Override
    public ObjectNode globalAvgPool(LayerSpec.GlobalAvgPool spec) {
      return F.objectNode().put("data_format", "channels_last")
          .put("keepdims", spec.keepdims());
    }

    @Override
    public ObjectNode globalMaxPool(LayerSpec.GlobalMaxPool spec) {
      return F.objectNode().put("data_format", "channels_last")
          .put("keepdims", spec.keepdims());
    }

    @Override
    public ObjectNode flatten(LayerSpec.Flatten spec) {
      return F.objectNode().put("data_format", "channels_last");
    }

    @Override
    public ObjectNode dropout(LayerSpec.Dropout spec) {
      return F.objectNode().put("rate", spec.rate());
    }

    @Override
    public ObjectNode dense(LayerSpec.Dense spec) {
      return F.objectNode().put("units", spec.units()).put("activation", "linear")
          .put("use_bias", spec.useBias());
    }

    @Override
    public ObjectNode softmax(LayerSpec.Softmax spec) {
      return F.objectNode().put("activation", "softmax");
    }

    @Override
    public ObjectNode add(LayerSpec.Add spec) {
      return F.objectNode();
    }

    @Override
    public ObjectNode maximum(LayerSpec.Maximum spec) {
      return F.objectNode();
    }

    @Override
    public ObjectNode zeroPadding(LayerSpec.ZeroPadding spec) {
      return sides("padding", spec.top(), spec.bottom(), spec.left(), spec.right());
    }

    /** ZeroPadding2D's and Cropping2D's config: {@code [[top, bottom], [left, right]]}. */
    private static ObjectNode sides(String field, int top, int bottom, int left, int right) {
      ObjectNode c = F.objectNode();
      c.set(field, F.arrayNode().add(F.arrayNode().add(top).add(bottom))
          .add(F.arrayNode().add(left).add(right)));
      return c.put("data_format", "channels_last");
    }

    @Override
    public ObjectNode depthwiseConv2d(LayerSpec.DepthwiseConv2d spec) {
      ObjectNode c = F.objectNode().put("depth_multiplier", spec.depthMultiplier());
      window(c, spec.kernel(), spec.kernel(), spec.stride(), spec.stride(), spec.padding());
      c.set("dilation_rate", pair(spec.dilation()));
      return c.put("activation", "linear").put("use_bias", spec.useBias());
    }

    @Override
    public ObjectNode nonlinearity(LayerSpec.Nonlinearity spec) {
      return F.objectNode().put("activation", spec.function().kerasName());
    }

    @Override
    public ObjectNode concat(LayerSpec.Concat spec) {
      return F.objectNode().put("axis", -1);
    }

    @Override
    public ObjectNode multiply(LayerSpec.Multiply spec) {
      return F.objectNode();
    }

    @Override
    public ObjectNode reshape(LayerSpec.Reshape spec) {
      ObjectNode c = F.objectNode();
      ArrayNode target = F.arrayNode();
      spec.shape().forEach(target::add);
      c.set("target_shape", target);
      return c;
    }

    @Override
    public ObjectNode rescaling(LayerSpec.Rescaling spec) {
      return F.objectNode().put("scale", spec.scale()).put("offset", spec.offset());
    }

    @Override
    public ObjectNode normalization(LayerSpec.Normalization spec) {
      return F.objectNode().put("axis", -1).put("invert", false);
    }

    @Override
    public ObjectNode layerNorm(LayerSpec.LayerNorm spec) {
      return F.objectNode().put("axis", -1).put("epsilon", spec.epsilon()).put("center", true)
          .put("scale", true).put("rms_scaling", false);
    }

    @Override
    public ObjectNode prelu(LayerSpec.PRelu spec) {
      // shared_axes depends on the input's rank: set with the weight's shape, below.
      return F.objectNode();
    }

    @Override
    public ObjectNode layerScale(LayerSpec.LayerScale spec) {
      // The starting value only matters before the weights are set; the file holds gamma.
      return F.objectNode().put("init_values", 1.0);
    }

    @Override
    public ObjectNode cropping(LayerSpec.Cropping spec) {
      return sides("cropping", spec.top(), spec.bottom(), spec.left(), spec.right());
    }
  }
}
