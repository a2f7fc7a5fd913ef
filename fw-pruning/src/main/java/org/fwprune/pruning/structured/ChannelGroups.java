package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;

/**
 * The coupled channels of a network: sets of output channels that must be removed together, found
 * from the architecture's graph as Torch-Pruning's dependency graph does (Fang et al. 2023,
 * "DepGraph: towards any structural pruning", sec. 3).
 *
 * <p>A convolution or dense layer (also a dense layer on an image, a 1x1 convolution)
 * <em>produces</em> a new set of channels. Channel-wise layers (BatchNorm, LayerScale, PReLU,
 * activations, padding, cropping, max and average pooling, dropout, global average and max
 * pooling, flatten, rescaling) carry them unchanged; a BatchNorm, LayerScale or PReLU is a
 * <em>norm</em> member, sliced with its producer. A depthwise convolution (depth multiplier 1) also carries
 * them, each channel through its own filter: it is a <em>depthwise</em> member, whose kernel and bias are sliced with the
 * channels. A concatenation places each input's channels after those of the inputs before it
 * (DenseNet, Inception): its output holds several groups, each at an <em>offset</em>, and a norm
 * or depthwise member or a consumer that reads it is a member or consumer of each of them at its
 * offset. An add sums, and a product (a squeeze-and-excitation gate) multiplies, channel
 * {@code c} of each input into channel {@code c}, so both join the groups of their inputs into
 * one, segment by segment. A convolution or dense layer that reads a group's channels <em>consumes</em> them: it loses
 * the matching input channels, or after a flatten of an {@code H x W x C} activation the input
 * features {@code (y W + x) C + c} (row-major, channels last), {@code H W} per channel.
 *
 * <p>Removing channel {@code c} from every member is exact: it gives the network in which the
 * producers' kernel column {@code c} and bias, the norms' gamma and beta and the depthwise
 * members' filter and bias at {@code c} are zero, because then the channel is zero at every
 * tensor of the group and its consumers read only zeros there. That needs every layer on the way
 * to keep a zero channel zero; a layer that does not (a sigmoid, a rescaling with an offset, a
 * normalisation) makes the tensor it writes <em>shifted</em>, and a product with a zero factor
 * makes it zero again (the gate of a squeeze-and-excitation block). A group is left whole, with
 * the reason naming the layer, when its channels are the network's input or its output (the class
 * scores), when a consumer reads them shifted, when an add joins channels laid out differently, or
 * when a layer moves them in a way the analysis does not follow (a concatenation of flattened
 * channels, a reshape that changes the channel axis, a depth multiplier above 1) or mixes them (a
 * LayerNormalization's statistics over all the channels). No layer is ever passed
 * through unexamined: each kind has its own rule, written in a {@link LayerSpec.Visitor} that
 * stops compiling when a kind is added.
 */
public final class ChannelGroups {

  /**
   * A layer that reads a group's channels.
   *
   * @param layer the conv or dense layer
   * @param positions input features per channel: 1, or {@code H W} after a flatten
   * @param offset where the group's channels start among the channels it reads: 0, or the
   *     group's place in a concatenation
   * @param width channels per position of the tensor it reads (the concatenation's, if any)
   */
  public record Consumer(String layer, int positions, int offset, int width) {}

  /**
   * One set of coupled channels.
   *
   * @param name the first producer in node order, by which keep rules and results name the group
   * @param channels channels in the group
   * @param producers conv and dense layers whose output channels these are, in node order
   * @param norms BatchNorm, LayerScale and PReLU layers that carry them, in node order
   * @param depthwise depthwise convolutions that carry them, each channel through its own filter
   * @param consumers conv and dense layers that read them, in node order
   * @param offsets where the group's channels start in the channel axis of each norm and
   *     depthwise member: 0, or the group's place in the concatenation the member reads
   * @param whole why the group cannot be shrunk exactly; empty when it can
   */
  public record Group(String name, int channels, List<String> producers, List<String> norms,
      List<String> depthwise, List<Consumer> consumers, Map<String, Integer> offsets,
      Optional<String> whole) {
    /** Copies the lists. */
    public Group {
      producers = ImmutableList.copyOf(producers);
      norms = ImmutableList.copyOf(norms);
      depthwise = ImmutableList.copyOf(depthwise);
      consumers = ImmutableList.copyOf(consumers);
      offsets = ImmutableMap.copyOf(offsets);
    }

    /** Whether its channels can be removed exactly. */
    public boolean prunable() {
      return whole.isEmpty();
    }

    /** Producers, norms and depthwise members: every layer whose own tensors lose the removed channels. */
    public List<String> members() {
      List<String> out = new ArrayList<>(producers);
      out.addAll(norms);
      out.addAll(depthwise);
      return out;
    }

    /** Where the group's channels start in {@code member}'s channels: 0 for a producer. */
    public int offsetIn(String member) {
      return offsets.getOrDefault(member, 0);
    }
  }

  private final List<Group> groups;
  private final Map<String, List<Group>> byLayer;

  private final Map<String, Group> byOutput;

  private ChannelGroups(List<Group> groups, Map<String, Group> byOutput) {
    this.groups = ImmutableList.copyOf(groups);
    this.byOutput = Map.copyOf(byOutput);
    Map<String, List<Group>> m = new HashMap<>();
    for (Group g : groups) {
      g.members().forEach(name -> m.computeIfAbsent(name, k -> new ArrayList<>()).add(g));
    }
    // A producer's own group first, then the groups a member carries in channel order.
    m.forEach((name, list) -> list.sort(Comparator.comparingInt(
        (Group g) -> g.producers().contains(name) ? -1 : g.offsetIn(name))));
    this.byLayer = Map.copyOf(m);
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

  /**
   * The group whose channels {@code layer} (a conv, dense or BatchNorm layer) produces or carries;
   * for a layer that carries several (a BatchNorm after a concatenation), the one at its first
   * channels.
   */
  public Optional<Group> groupOf(String layer) {
    return groupsOf(layer).stream().findFirst();
  }

  /**
   * Every group whose channels {@code layer} produces or carries, in the order of their channels:
   * one, or one per input of the concatenation that a BatchNorm or depthwise member reads.
   */
  public List<Group> groupsOf(String layer) {
    return byLayer.getOrDefault(layer, List.of());
  }

  /**
   * The group whose channels {@code layer}'s output holds, when they are one group's (with a
   * producer): a layer that carries them, such as a reshape of {@code 1 x 1 x C} to {@code C}.
   */
  public Optional<Group> groupOfOutput(String layer) {
    return Optional.ofNullable(byOutput.get(layer));
  }

  /**
   * The prunable group that {@code layer} is a producer of.
   *
   * @throws IllegalArgumentException naming the prunable groups, and why the layer's group is
   *     left whole if it is
   */
  public Group prunableGroupOf(String layer) {
    Group g = groupOf(layer).orElse(null);
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
  private static final class Finder implements LayerSpec.Visitor<Finder.Tag> {
    /**
     * One group's channels in a tensor, and, when a removed channel is no longer zero there, the
     * layer that shifted it.
     */
    private record Segment(int group, int width, Optional<String> shiftedBy) {
      Segment shifted(String layer) {
        return new Segment(group, width, Optional.of(layer));
      }

      Segment unshifted() {
        return new Segment(group, width, Optional.empty());
      }
    }

    /**
     * The groups whose channels a tensor holds, in channel order (more than one after a
     * concatenation), and how many features each channel has.
     */
    private record Tag(List<Segment> segments, int positions) {
      Tag {
        segments = List.copyOf(segments);
      }

      Tag(int group, int width) {
        this(List.of(new Segment(group, width, Optional.empty())), 1);
      }

      int width() {
        return segments.stream().mapToInt(Segment::width).sum();
      }

      Tag map(UnaryOperator<Segment> f) {
        return new Tag(segments.stream().map(f).toList(), positions);
      }
    }

    /** A layer's place in a group: where the group's channels start among its channels. */
    private record Placement(String layer, int offset) {}

    private final Architecture architecture;
    private final List<Integer> parent = new ArrayList<>();
    private final List<Integer> channels = new ArrayList<>();
    private final Map<Integer, List<String>> producers = new HashMap<>();
    private final Map<Integer, List<Placement>> norms = new HashMap<>();
    private final Map<Integer, List<Placement>> depthwise = new HashMap<>();
    private final Map<Integer, List<Consumer>> consumers = new HashMap<>();
    private final Map<Integer, Set<String>> reasons = new HashMap<>();
    private final Map<String, Tag> tags = new HashMap<>();
    private final Map<String, List<Integer>> shapes = new HashMap<>();
    private Layer layer;

    Finder(Architecture architecture) {
      this.architecture = architecture;
    }

    ChannelGroups run() {
      int input = newGroup(architecture.channels());
      reasons.get(input).add("its channels are the network's input");
      tags.put(Architecture.INPUT, new Tag(input, architecture.channels()));
      shapes.put(Architecture.INPUT, List.of(architecture.height(), architecture.width(),
          architecture.channels()));
      List<Layer> layers = architecture.resolvedLayers();
      for (Layer l : layers) {
        layer = l;
        tags.put(l.name(), l.spec().accept(this));
        shapes.put(l.name(), l.outputShape());
      }
      Layer last = layers.get(layers.size() - 1);
      for (Segment s : tags.get(last.name()).segments()) {
        reasons.get(find(s.group())).add(
            "its channels are the network's output (the class scores of " + last.name() + ")");
      }
      Map<String, Integer> order = order(layers);
      Map<Integer, Group> byRoot = collect(order);
      Map<String, Group> byOutput = new HashMap<>();
      for (Layer l : layers) {
        List<Segment> segments = tags.get(l.name()).segments();
        Group g = segments.size() == 1 ? byRoot.get(find(segments.get(0).group())) : null;
        if (g != null) {
          byOutput.put(l.name(), g);
        }
      }
      List<Group> sorted = new ArrayList<>(byRoot.values());
      sorted.sort(Comparator.comparingInt(g -> order.get(g.name())));
      return new ChannelGroups(sorted, byOutput);
    }

    private Tag in() {
      return tags.get(layer.inputs().get(0));
    }

    private List<Integer> inShape() {
      return shapes.get(layer.inputs().get(0));
    }

    /** Leaves the group of {@code segment} whole, for {@code why}. */
    private void whole(Segment segment, String why) {
      reasons.get(find(segment.group())).add(why);
    }

    /** Leaves every group of {@code tag} whole, for {@code why}. */
    private void whole(Tag tag, String why) {
      tag.segments().forEach(s -> whole(s, why));
    }

    /** A conv or dense layer: consumes its input's channels and produces a new group. */
    private Tag produce() {
      Tag in = in();
      int offset = 0;
      for (Segment s : in.segments()) {
        s.shiftedBy().ifPresent(by -> whole(s, layer.name() + " reads them shifted from zero by "
            + by));
        lists(consumers, find(s.group())).add(
            new Consumer(layer.name(), in.positions(), offset, in.width()));
        offset += s.width();
      }
      int g = newGroup(layer.channels());
      lists(producers, g).add(layer.name());
      return new Tag(g, layer.channels());
    }

    /**
     * Records the layer as a member of every group of its input, at the group's offset, into
     * {@code members}; its own parameters at a removed channel are zeroed with it, so it writes
     * zero there again.
     */
    private Tag member(Map<Integer, List<Placement>> members) {
      Tag in = in();
      int offset = 0;
      for (Segment s : in.segments()) {
        lists(members, find(s.group())).add(new Placement(layer.name(), offset));
        offset += s.width();
      }
      return in.map(Segment::unshifted);
    }

    /** A layer that maps a zero channel to zero: carries its input. */
    private Tag carry() {
      return in();
    }

    /** A layer that maps a zero channel to a nonzero one: carries its input, shifted. */
    private Tag shift() {
      return in().map(s -> s.shifted(layer.name()));
    }

    @Override
    public Tag conv2d(LayerSpec.Conv2d spec) {
      if (spec.groups() != 1) {
        // Its filters of group g read only input channels of group g: removing one couples
        // both sides group-wise, which the analysis does not follow. A dilated convolution reads
        // all its input's channels, as any other.
        return refuse(layer.name() + " groups its channels (groups " + spec.groups()
            + "), which structured pruning does not follow");
      }
      return produce();
    }

    @Override
    public Tag dense(LayerSpec.Dense spec) {
      return produce();
    }

    @Override
    public Tag batchNorm(LayerSpec.BatchNorm spec) {
      // Its gamma and beta are zeroed with the channel.
      return member(norms);
    }

    @Override
    public Tag depthwiseConv2d(LayerSpec.DepthwiseConv2d spec) {
      if (spec.depthMultiplier() != 1) {
        return refuse(layer.name() + " multiplies each channel into " + spec.depthMultiplier()
            + " (depth multiplier), which structured pruning does not follow");
      }
      // Its filter and bias at the channel are zeroed with it.
      return member(depthwise);
    }

    @Override
    public Tag relu(LayerSpec.Relu spec) {
      // relu(0) = 0, except for the part slope * (threshold - x) below a positive threshold.
      return spec.negativeSlope() * spec.threshold() == 0 ? carry() : shift();
    }

    @Override
    public Tag nonlinearity(LayerSpec.Nonlinearity spec) {
      return switch (spec.function()) {
        case SIGMOID, HARD_SIGMOID -> shift();
        case SWISH, HARD_SWISH, GELU, TANH, ELU, SELU, LEAKY_RELU -> carry();
      };
    }

    @Override
    public Tag rescaling(LayerSpec.Rescaling spec) {
      return spec.offset() == 0 ? carry() : shift();
    }

    @Override
    public Tag normalization(LayerSpec.Normalization spec) {
      return shift();
    }

    @Override
    public Tag layerNorm(LayerSpec.LayerNorm spec) {
      // Every output channel depends on the mean and variance of all the input's channels: a
      // removed (zero) channel still counts in them, so removing it changes the others.
      return refuse(layer.name() + " normalises over all its input's channels (LayerNormalization),"
          + " so removing one changes the others");
    }

    @Override
    public Tag layerScale(LayerSpec.LayerScale spec) {
      // x gamma per channel: its gamma is sliced with the channel, a zero channel stays zero.
      member(norms);
      return carry();
    }

    @Override
    public Tag prelu(LayerSpec.PRelu spec) {
      // relu(0) - alpha relu(-0) = 0 for any alpha: a cut channel stays cut.
      if (in().positions() != 1) {
        whole(in(), layer.name() + " has a slope per feature of flattened channels (PReLU),"
            + " which structured pruning does not slice");
      } else if (spec.sharedAxes().contains(LayerSpec.PRelu.Axis.CHANNELS)) {
        // One slope for all channels at a position: nothing of it belongs to a channel.
        return carry();
      } else if (spec.perChannel() || layer.outputShape().size() == 1) {
        member(norms);  // its alpha is sliced with the channel, like a norm's gamma
      } else {
        whole(in(), layer.name() + " has a slope per position and channel (PReLU shared_axes "
            + spec.sharedAxes() + "), which structured pruning does not slice");
      }
      return carry();
    }

    @Override
    public Tag cropping(LayerSpec.Cropping spec) {
      return carry();
    }

    @Override
    public Tag maxPool(LayerSpec.MaxPool spec) {
      return carry();
    }

    @Override
    public Tag avgPool(LayerSpec.AvgPool spec) {
      return carry();
    }

    @Override
    public Tag globalAvgPool(LayerSpec.GlobalAvgPool spec) {
      return carry();
    }

    @Override
    public Tag globalMaxPool(LayerSpec.GlobalMaxPool spec) {
      // The maximum of a zero channel is zero.
      return carry();
    }

    @Override
    public Tag zeroPadding(LayerSpec.ZeroPadding spec) {
      return carry();
    }

    @Override
    public Tag dropout(LayerSpec.Dropout spec) {
      return carry();
    }

    @Override
    public Tag softmax(LayerSpec.Softmax spec) {
      // It mixes all its input's channels, but Architecture admits it only as the last layer,
      // whose input, the class scores, is left whole as the network's output.
      return carry();
    }

    @Override
    public Tag flatten(LayerSpec.Flatten spec) {
      List<Integer> inShape = inShape();
      if (inShape.size() != 3) {
        return carry();
      }
      // HWC layout: every spatial position holds all the channels.
      Tag in = in();
      return new Tag(in.segments(), in.positions() * inShape.get(0) * inShape.get(1));
    }

    @Override
    public Tag reshape(LayerSpec.Reshape spec) {
      List<Integer> from = inShape();
      List<Integer> to = layer.outputShape();
      int fromSpatial = from.subList(0, from.size() - 1).stream().reduce(1, (a, b) -> a * b);
      int toSpatial = to.subList(0, to.size() - 1).stream().reduce(1, (a, b) -> a * b);
      if (fromSpatial == 1 && toSpatial == 1) {
        // 1 x 1 x C to C and back (a squeeze-and-excitation gate, MobileNet's classifier): the
        // channels stay the last axis, one feature each.
        return carry();
      }
      return refuse(layer.name() + " reshapes " + from + " to " + to
          + ", which moves channels in a way structured pruning does not follow");
    }

    @Override
    public Tag concat(LayerSpec.Concat spec) {
      // The channel axis of the output holds each input's channels after those of the inputs
      // before it (DenseNet, Inception): every group keeps its own channels at an offset.
      List<Segment> out = new ArrayList<>();
      for (String input : layer.inputs()) {
        Tag t = tags.get(input);
        if (t.positions() != 1) {
          return refuse(layer.name() + " concatenates flattened channels, which structured"
              + " pruning does not follow");
        }
        out.addAll(t.segments());
      }
      return new Tag(out, 1);
    }

    /**
     * Leaves the groups of every input whole for {@code why}, and gives the output a new group,
     * also whole: no channel is cut through this layer.
     */
    private Tag refuse(String why) {
      for (String input : layer.inputs()) {
        whole(tags.get(input), why);
      }
      int g = newGroup(layer.channels());
      reasons.get(g).add(why);
      return new Tag(g, layer.channels());
    }

    @Override
    public Tag maximum(LayerSpec.Maximum spec) {
      // max(0, 0) = 0: as a sum, zero where every input is zero.
      return join("takes the maximum of", false);
    }

    @Override
    public Tag add(LayerSpec.Add spec) {
      return join("adds", false);
    }

    @Override
    public Tag multiply(LayerSpec.Multiply spec) {
      // Zero wherever one factor is zero: a gate read shifted still gives a zero product.
      return join("multiplies", true);
    }

    /**
     * Joins the groups of the inputs of an element-wise layer (channel {@code c} of each goes to
     * channel {@code c}) segment by segment, leaving them whole if their layouts differ. The output
     * is zero at a channel where every input is ({@code product} false) or where one input is
     * ({@code product} true).
     */
    private Tag join(String verb, boolean product) {
      Tag in = in();
      List<Tag> inputs = layer.inputs().stream().map(tags::get).toList();
      boolean sameLayout = inputs.stream().allMatch(t -> t.positions() == in.positions()
          && t.segments().stream().map(Segment::width).toList()
              .equals(in.segments().stream().map(Segment::width).toList()));
      if (!sameLayout) {
        inputs.forEach(t -> whole(t, layer.name() + " " + verb + " channels laid out differently"));
        return in;
      }
      List<Segment> out = new ArrayList<>();
      for (int i = 0; i < in.segments().size(); i++) {
        int index = i;
        List<Segment> aligned = inputs.stream().map(t -> t.segments().get(index)).toList();
        aligned.forEach(s -> union(find(aligned.get(0).group()), find(s.group())));
        List<String> shifts = aligned.stream().map(Segment::shiftedBy).flatMap(Optional::stream)
            .toList();
        boolean zero = product ? shifts.size() < aligned.size() : shifts.isEmpty();
        out.add(new Segment(find(aligned.get(0).group()), aligned.get(0).width(),
            zero ? Optional.empty() : Optional.of(shifts.get(0))));
      }
      return new Tag(out, in.positions());
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
      for (Map<Integer, ? extends List<?>> m : List.of(producers, norms, depthwise, consumers)) {
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

    private static Map<String, Integer> order(List<Layer> layers) {
      Map<String, Integer> order = new HashMap<>();
      for (int i = 0; i < layers.size(); i++) {
        order.put(layers.get(i).name(), i);
      }
      return order;
    }

    /** Every group with a producer, by its root id; {@code order} is each layer's node index. */
    private Map<Integer, Group> collect(Map<String, Integer> order) {
      Map<Integer, Group> out = new LinkedHashMap<>();
      for (int g = 0; g < parent.size(); g++) {
        int root = find(g);
        List<String> prod = new ArrayList<>(producers.getOrDefault(root, List.of()));
        if (prod.isEmpty() || out.containsKey(root)) {
          continue;
        }
        prod.sort(Comparator.comparingInt(order::get));
        Set<String> why = new LinkedHashSet<>(reasons.get(root));
        Map<String, Integer> offsets = new HashMap<>();
        List<String> nm = placed(norms.getOrDefault(root, List.of()), order, offsets, why);
        List<String> dw = placed(depthwise.getOrDefault(root, List.of()), order, offsets, why);
        List<Consumer> cons = new ArrayList<>(consumers.getOrDefault(root, List.of()));
        cons.sort(Comparator.comparingInt(c -> order.get(c.layer())));
        for (int i = 1; i < cons.size(); i++) {
          if (cons.get(i).layer().equals(cons.get(i - 1).layer())) {
            why.add(cons.get(i).layer() + " reads these channels twice (at offsets "
                + cons.get(i - 1).offset() + " and " + cons.get(i).offset() + ")");
          }
        }
        out.put(root, new Group(prod.get(0), channels.get(root), prod, nm, dw, cons, offsets,
            why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why))));
      }
      return out;
    }

    /**
     * The members' names in node order, their offsets put into {@code offsets}; a member that
     * holds the group twice (a concatenation of one tensor with itself) leaves it whole.
     */
    private static List<String> placed(List<Placement> members, Map<String, Integer> order,
        Map<String, Integer> offsets, Set<String> why) {
      List<String> names = new ArrayList<>();
      for (Placement p : members) {
        Integer earlier = offsets.put(p.layer(), p.offset());
        if (earlier == null) {
          names.add(p.layer());
        } else {
          why.add(p.layer() + " holds these channels twice (at offsets " + earlier + " and "
              + p.offset() + ")");
        }
      }
      names.sort(Comparator.comparingInt(order::get));
      return names;
    }
  }
}
