package org.fwprune.core.model;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fwprune.core.check.Require;

/**
 * The full, validated definition of a {@link org.fwprune.core.Cnn}: input shape, a directed acyclic graph of named
 * layers and the initialisation seed. It is all {@link org.fwprune.core.Cnn#load} needs to rebuild the graph, and
 * the unit that {@link org.fwprune.core.Cnn#save} writes.
 *
 * <p>Nodes are listed in a topological order: each reads the model input ({@value #INPUT}) or
 * nodes listed before it, and the last node is the output. A plain chain of layers is the special
 * case where each node reads the one before ({@link #chain}).
 *
 * @param height input image height in pixels
 * @param width input image width in pixels
 * @param channels input channels (1 for grey-scale)
 * @param nodes the layers with their inputs, in topological order, output last
 * @param seed seed of the weight initialisers and of dropout
 */
public record Architecture(int height, int width, int channels, List<Node> nodes, long seed) {

  /** Largest accepted input side or channel count. */
  public static final int MAX_INPUT = 1 << 14;

  /** Seed of the weight initialisers and dropout when none is chosen. */
  public static final long DEFAULT_SEED = 0;

  /** Name by which nodes refer to the model's input. */
  public static final String INPUT = "input";

  /** Validates the graph and the shapes node by node; the messages name the node and the shapes. */
  public Architecture {
    Require.inClosed("input height", height, 1, MAX_INPUT);
    Require.inClosed("input width", width, 1, MAX_INPUT);
    Require.inClosed("input channels", channels, 1, MAX_INPUT);
    checkArgument(nodes != null, "nodes must not be null");
    nodes = ImmutableList.copyOf(nodes);
    resolve(height, width, channels, nodes);
  }

  /**
   * A chain: each layer reads the one before it, named {@code <type>_<n>} by kind and position
   * ({@code conv2d_1}, {@code conv2d_2}, {@code dense_1}).
   */
  public static Architecture chain(int height, int width, int channels, List<LayerSpec> layers,
      long seed) {
    checkArgument(layers != null, "layers must not be null");
    List<Node> nodes = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    String previous = INPUT;
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec spec = layers.get(i);
      checkArgument(spec != null, "layer %s is null", i);
      String name = spec.typeName() + "_" + counts.merge(spec.typeName(), 1, Integer::sum);
      nodes.add(new Node(name, spec, List.of(previous)));
      previous = name;
    }
    return new Architecture(height, width, channels, nodes, seed);
  }

  /**
   * Reads the JSON form: {@code nodes} with explicit inputs, or the chain format's {@code layers}
   * that models saved before graphs existed use.
   */
  @JsonCreator
  static Architecture fromJson(@JsonProperty("height") int height,
      @JsonProperty("width") int width, @JsonProperty("channels") int channels,
      @JsonProperty("nodes") List<Node> nodes, @JsonProperty("layers") List<LayerSpec> layers,
      @JsonProperty("seed") long seed) {
    checkArgument(nodes == null || layers == null,
        "an architecture has either nodes or (the older chain format) layers, not both");
    checkArgument(nodes != null || layers != null, "the architecture lists no nodes");
    return nodes != null ? new Architecture(height, width, channels, nodes, seed)
        : chain(height, width, channels, layers, seed);
  }

  /** The layer specs in node order. */
  public List<LayerSpec> layers() {
    return nodes.stream().map(Node::spec).toList();
  }

  /** The nodes with output shapes and kernel shapes. */
  public List<Layer> resolvedLayers() {
    return resolve(height, width, channels, nodes);
  }

  /** The layers that own a kernel (convolutions and dense layers), in node order. */
  public List<Layer> weightedLayers() {
    return resolvedLayers().stream().filter(l -> l.spec().hasKernel()).toList();
  }

  /** The resolved layer called {@code name}. */
  public Layer layer(String name) {
    return resolvedLayers().stream().filter(l -> l.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no layer " + name + "; layers: "
            + nodes.stream().map(Node::name).toList()));
  }

  /** Names of the nodes that read {@code name}'s output, in node order. */
  public List<String> consumers(String name) {
    return nodes.stream().filter(n -> n.inputs().contains(name)).map(Node::name).toList();
  }

  /** Whether every node reads exactly the node before it: a plain chain of layers. */
  public boolean sequential() {
    String previous = INPUT;
    for (Node n : nodes) {
      if (!n.inputs().equals(List.of(previous))) {
        return false;
      }
      previous = n.name();
    }
    return true;
  }

  /** Every tensor of every layer, in node order. */
  public List<LayerVariable> variables() {
    return resolvedLayers().stream().flatMap(l -> l.variables().stream()).toList();
  }

  /** Number of trainable parameters (kernels, biases, BatchNorm scales and offsets). */
  public long parameterCount() {
    return resolvedLayers().stream().mapToLong(Layer::parameterCount).sum();
  }

  /** Number of non-trainable entries (BatchNorm moving statistics). */
  public long nonTrainableCount() {
    return resolvedLayers().stream().mapToLong(Layer::nonTrainableCount).sum();
  }

  /** Number of classes the model scores: the size of the last layer's output. */
  public int numClasses() {
    List<Layer> resolved = resolvedLayers();
    return resolved.get(resolved.size() - 1).outputShape().get(0);
  }

  /** Whether the last layer is a softmax, so that the model outputs probabilities. */
  public boolean endsWithSoftmax() {
    return nodes.get(nodes.size() - 1).spec() instanceof LayerSpec.Softmax;
  }

  /** Whether the network has at least one BatchNorm layer, i.e. moving statistics. */
  public boolean hasBatchNorm() {
    return layers().stream().anyMatch(LayerSpec.BatchNorm.class::isInstance);
  }

  /**
   * The same network with every BatchNorm's moving-statistics debiasing on or off ({@link
   * LayerSpec.BatchNorm}); off reproduces runs made before debiasing existed exactly.
   */
  public Architecture withBatchNormDebias(boolean debias) {
    List<Node> changed = nodes.stream().map(n -> n.spec() instanceof LayerSpec.BatchNorm b
        ? new Node(n.name(), b.withDebias(debias), n.inputs()) : n).toList();
    return new Architecture(height, width, channels, changed, seed);
  }

  /** Whether some BatchNorm layer debiases its moving statistics, so training counts updates. */
  public boolean debiasesBatchNorm() {
    return layers().stream().anyMatch(s -> s instanceof LayerSpec.BatchNorm b && b.debias());
  }

  /** The same network initialised from {@code seed} instead. */
  public Architecture withSeed(long seed) {
    return new Architecture(height, width, channels, nodes, seed);
  }

  /** Input shape as text, e.g. {@code 28x28x1}. */
  public String inputShapeText() {
    return height + "x" + width + "x" + channels;
  }

  private static List<Layer> resolve(int h, int w, int c, List<Node> nodes) {
    checkArgument(!nodes.isEmpty(), "a model needs at least one layer");
    Map<String, List<Integer>> shapes = new HashMap<>();
    shapes.put(INPUT, List.of(h, w, c));
    List<Layer> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      checkArgument(node != null, "node %s is null", i);
      checkArgument(!shapes.containsKey(node.name()), "layer name %s is used twice%s",
          node.name(), node.name().equals(INPUT) ? " (it is the model input's name)" : "");
      List<List<Integer>> inputShapes = new ArrayList<>();
      for (String input : node.inputs()) {
        List<Integer> shape = shapes.get(input);
        checkArgument(shape != null, "%s reads %s, which is not the input or a layer listed"
            + " before it", node.name(), input);
        inputShapes.add(shape);
      }
      checkArgument(!(node.spec() instanceof LayerSpec.Softmax) || i == nodes.size() - 1,
          "%s must be the last layer", node.name());
      Layer layer = node.spec().accept(new ShapeInference(node, inputShapes));
      shapes.put(node.name(), layer.outputShape());
      out.add(layer);
    }
    List<Integer> last = out.get(out.size() - 1).outputShape();
    checkArgument(last.size() == 1,
        "the last layer must output a vector of class scores, got %s; end with dense(classes)"
            + " after flatten() or globalAvgPool()",
        shapeText(last));
    checkArgument(out.stream().anyMatch(l -> l.spec().hasKernel()),
        "a model needs at least one conv2d or dense layer");
    checkAllUsed(nodes);
    return ImmutableList.copyOf(out);
  }

  /** Refuses nodes that do not reach the output: they would be computed for nothing. */
  private static void checkAllUsed(List<Node> nodes) {
    Set<String> used = new HashSet<>();
    used.add(nodes.get(nodes.size() - 1).name());
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      checkArgument(used.contains(n.name()), "layer %s does not lead to the output (%s)",
          n.name(), nodes.get(nodes.size() - 1).name());
      used.addAll(n.inputs());
    }
  }

  static String shapeText(List<Integer> shape) {
    return String.join("x", shape.stream().map(String::valueOf).toList());
  }
}
