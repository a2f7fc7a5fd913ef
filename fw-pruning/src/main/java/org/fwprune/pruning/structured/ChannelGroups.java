package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;

/**
 * The coupled channels of a network: sets of output channels that must be removed together, found
 * from the architecture's graph as Torch-Pruning's dependency graph does (Fang et al. 2023,
 * "DepGraph: towards any structural pruning", sec. 3).
 *
 * <p>A convolution or dense layer <em>produces</em> a new set of channels. Channel-wise layers
 * (BatchNorm, ReLU, max and average pooling, dropout, global average pooling, flatten) carry
 * them unchanged; a BatchNorm is a <em>norm</em> member, sliced with its producer. An add sums
 * channel {@code c} of each input into channel {@code c}, so it joins the groups of its inputs into
 * one. A convolution or dense layer that reads a group's channels <em>consumes</em> them: it loses
 * the matching input channels, or after a flatten of an {@code H x W x C} activation the input
 * features {@code (y W + x) C + c} (row-major, channels last), {@code H W} per channel.
 *
 * <p>Removing channel {@code c} from every member is exact: it gives the network in which the
 * producers' kernel column {@code c} and bias, and the norms' gamma and beta at {@code c}, are
 * zero, because then the channel is zero at every tensor of the group and its consumers read only
 * zeros there. A group is left whole, with the reason, when its channels are the network's input
 * or its output (the class scores), or when an add joins channels laid out differently.
 */
public final class ChannelGroups {

  /**
   * A layer that reads a group's channels.
   *
   * @param layer the conv or dense layer
   * @param positions input features per channel: 1, or {@code H W} after a flatten
   */
  public record Consumer(String layer, int positions) {}

  /**
   * One set of coupled channels.
   *
   * @param name the first producer in node order, by which keep rules and results name the group
   * @param channels channels in the group
   * @param producers conv and dense layers whose output channels these are, in node order
   * @param norms BatchNorm layers that carry them, in node order
   * @param consumers conv and dense layers that read them, in node order
   * @param whole why the group cannot be shrunk exactly; empty when it can
   */
  public record Group(String name, int channels, List<String> producers, List<String> norms,
      List<Consumer> consumers, Optional<String> whole) {
    /** Copies the lists. */
    public Group {
      producers = ImmutableList.copyOf(producers);
      norms = ImmutableList.copyOf(norms);
      consumers = ImmutableList.copyOf(consumers);
    }

    /** Whether its channels can be removed exactly. */
    public boolean prunable() {
      return whole.isEmpty();
    }

    /** Producers and norms: every layer whose own tensors lose the removed channels. */
    public List<String> members() {
      List<String> out = new ArrayList<>(producers);
      out.addAll(norms);
      return out;
    }
  }

  private final List<Group> groups;
  private final Map<String, Group> byLayer;

  private ChannelGroups(List<Group> groups) {
    this.groups = ImmutableList.copyOf(groups);
    Map<String, Group> m = new HashMap<>();
    for (Group g : groups) {
      g.members().forEach(name -> m.put(name, g));
    }
    this.byLayer = m;
  }

  /** The groups of {@code architecture}. */
  public static ChannelGroups of(Architecture architecture) {
    checkArgument(architecture != null, "architecture must not be null");
    return new Finder(architecture).run();
  }

  /** Every group with a producer, in the order of its first producer. */
  public List<Group> groups() {
    return groups;
  }

  /** The groups that can be shrunk exactly, in the order of their first producer. */
  public List<Group> prunable() {
    return groups.stream().filter(Group::prunable).toList();
  }

  /** The groups left whole, each with its reason. */
  public List<Group> whole() {
    return groups.stream().filter(g -> !g.prunable()).toList();
  }

  /** The group whose channels {@code layer} (a conv, dense or BatchNorm layer) produces or carries. */
  public Optional<Group> groupOf(String layer) {
    return Optional.ofNullable(byLayer.get(layer));
  }

  /**
   * The prunable group that {@code layer} is a producer of.
   *
   * @throws IllegalArgumentException naming the prunable groups, and why the layer's group is
   *     left whole if it is
   */
  public Group prunableGroupOf(String layer) {
    Group g = byLayer.get(layer);
    boolean producer = g != null && g.producers().contains(layer);
    checkArgument(producer && g.prunable(), "%s is not a prunable layer; prunable: %s%s", layer,
        prunable().stream().map(Group::name).toList(),
        producer ? " (" + layer + " is left whole: " + g.whole().orElse("") + ")" : "");
    return g;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Group g : groups) {
      sb.append(g.name()).append(": ").append(g.channels()).append(" channels, members ")
          .append(g.members()).append(", consumers ")
          .append(g.consumers().stream().map(Consumer::layer).toList())
          .append(g.whole().map(w -> " (whole: " + w + ")").orElse("")).append('\n');
    }
    return sb.toString();
  }

  /** One pass over the nodes in topological order with a union-find over group ids. */
  private static final class Finder {
    /** Which group a tensor's channels belong to and how many features each channel has. */
    private record Tag(int group, int positions) {}

    private final Architecture architecture;
    private final List<Integer> parent = new ArrayList<>();
    private final List<Integer> channels = new ArrayList<>();
    private final Map<Integer, List<String>> producers = new HashMap<>();
    private final Map<Integer, List<String>> norms = new HashMap<>();
    private final Map<Integer, List<Consumer>> consumers = new HashMap<>();
    private final Map<Integer, Set<String>> reasons = new HashMap<>();
    private final Map<String, Tag> tags = new HashMap<>();
    private final Map<String, List<Integer>> shapes = new HashMap<>();

    Finder(Architecture architecture) {
      this.architecture = architecture;
    }

    ChannelGroups run() {
      int input = newGroup(architecture.channels());
      reasons.get(input).add("its channels are the network's input");
      tags.put(Architecture.INPUT, new Tag(input, 1));
      shapes.put(Architecture.INPUT, List.of(architecture.height(), architecture.width(),
          architecture.channels()));
      List<Layer> layers = architecture.resolvedLayers();
      for (Layer layer : layers) {
        tags.put(layer.name(), visit(layer));
        shapes.put(layer.name(), layer.outputShape());
      }
      Layer last = layers.get(layers.size() - 1);
      reasons.get(find(tags.get(last.name()).group())).add(
          "its channels are the network's output (the class scores of " + last.name() + ")");
      return new ChannelGroups(collect(layers));
    }

    private Tag visit(Layer layer) {
      LayerSpec spec = layer.spec();
      Tag in = tags.get(layer.inputs().get(0));
      if (spec.hasKernel()) {
        lists(consumers, find(in.group())).add(new Consumer(layer.name(), in.positions()));
        int g = newGroup(layer.channels());
        lists(producers, g).add(layer.name());
        return new Tag(g, 1);
      }
      if (spec instanceof LayerSpec.BatchNorm) {
        lists(norms, find(in.group())).add(layer.name());
        return in;
      }
      List<Integer> inShape = shapes.get(layer.inputs().get(0));
      if (spec instanceof LayerSpec.Flatten && inShape.size() == 3) {
        // HWC layout: every spatial position holds all the channels.
        return new Tag(in.group(), in.positions() * inShape.get(0) * inShape.get(1));
      }
      if (spec.combinesInputs()) {
        for (String other : layer.inputs().subList(1, layer.inputs().size())) {
          Tag t = tags.get(other);
          int a = find(in.group());
          int b = find(t.group());
          if (t.positions() != in.positions()) {
            String why = layer.name() + " adds channels laid out differently";
            reasons.get(a).add(why);
            reasons.get(b).add(why);
          }
          union(a, b);
        }
      }
      // ReLU, pooling, global average pooling (one feature per channel), dropout, softmax, add.
      return in;
    }

    private int newGroup(int size) {
      int id = parent.size();
      parent.add(id);
      channels.add(size);
      reasons.put(id, new LinkedHashSet<>());
      return id;
    }

    private int find(int g) {
      while (parent.get(g) != g) {
        g = parent.get(g);
      }
      return g;
    }

    /** Joins b into a, keeping the lower id (the earlier producer) as the root. */
    private void union(int a, int b) {
      if (a == b) {
        return;
      }
      int root = Math.min(a, b);
      int child = Math.max(a, b);
      parent.set(child, root);
      for (Map<Integer, ? extends List<?>> m : List.of(producers, norms, consumers)) {
        mergeInto(m, child, root);
      }
      reasons.get(root).addAll(reasons.get(child));
    }

    @SuppressWarnings("unchecked")
    private static <T> void mergeInto(Map<Integer, ? extends List<?>> m, int from, int to) {
      Map<Integer, List<T>> typed = (Map<Integer, List<T>>) m;
      List<T> moved = typed.remove(from);
      if (moved != null) {
        typed.computeIfAbsent(to, k -> new ArrayList<>()).addAll(moved);
      }
    }

    private static <T> List<T> lists(Map<Integer, List<T>> m, int g) {
      return m.computeIfAbsent(g, k -> new ArrayList<>());
    }

    private List<Group> collect(List<Layer> layers) {
      Map<String, Integer> order = new HashMap<>();
      for (int i = 0; i < layers.size(); i++) {
        order.put(layers.get(i).name(), i);
      }
      Map<Integer, Group> out = new LinkedHashMap<>();
      for (int g = 0; g < parent.size(); g++) {
        int root = find(g);
        List<String> prod = new ArrayList<>(producers.getOrDefault(root, List.of()));
        if (prod.isEmpty() || out.containsKey(root)) {
          continue;
        }
        prod.sort((a, b) -> order.get(a) - order.get(b));
        List<String> nm = new ArrayList<>(norms.getOrDefault(root, List.of()));
        nm.sort((a, b) -> order.get(a) - order.get(b));
        List<Consumer> cons = new ArrayList<>(consumers.getOrDefault(root, List.of()));
        cons.sort((a, b) -> order.get(a.layer()) - order.get(b.layer()));
        Set<String> why = reasons.get(root);
        out.put(root, new Group(prod.get(0), channels.get(root), prod, nm, cons,
            why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why))));
      }
      List<Group> sorted = new ArrayList<>(out.values());
      sorted.sort((a, b) -> order.get(a.name()) - order.get(b.name()));
      return sorted;
    }
  }
}
