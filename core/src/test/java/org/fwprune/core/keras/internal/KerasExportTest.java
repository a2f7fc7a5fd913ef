package org.fwprune.core.keras.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Node;
import org.fwprune.core.model.Padding;
import org.junit.jupiter.api.Test;

/** The order in which saveKeras lists layers, which names the archive's weight groups. */
class KerasExportTest {

  /**
   * Two branches of unequal length from {@code c0} meet in an add (a Subtract as fwprune reads
   * it). Keras' map_graph orders by depth, the longest path to the output: dense 0, flatten 1,
   * add 2, a and neg 3, b 4, c0 5; a and neg tie and go in the order a depth-first walk from the
   * output reaches them (dense, flatten, add, a, c0, neg, b): a first. In fwprune's order a
   * precedes b, but Keras names b's group {@code conv2d_1} and a's {@code conv2d_2}.
   */
  @Test
  void kerasOrder_unequalBranches_followsKerasDepthThenWalkOrder() {
    List<Node> nodes = List.of(
        new Node("c0", new LayerSpec.Conv2d(4, 3, 1, Padding.SAME, true), List.of("input")),
        new Node("a", new LayerSpec.Conv2d(4, 1, 1, Padding.SAME, true), List.of("c0")),
        new Node("b", new LayerSpec.Conv2d(4, 3, 1, Padding.SAME, true), List.of("c0")),
        new Node("neg", new LayerSpec.Rescaling(-1, 0), List.of("b")),
        new Node("add", new LayerSpec.Add(), List.of("a", "neg")),
        new Node("flatten", new LayerSpec.Flatten(), List.of("add")),
        new Node("dense", new LayerSpec.Dense(2), List.of("flatten")));
    Architecture a = new Architecture(6, 6, 1, nodes, 0);
    assertEquals(List.of("c0", "b", "a", "neg", "add", "flatten", "dense"),
        KerasExport.kerasOrder(a.resolvedLayers()).stream().map(Layer::name).toList());
  }

  /** A chain, and a residual block whose branch is longer than its shortcut, keep their order. */
  @Test
  void kerasOrder_chainAndResidual_unchanged() {
    List<Node> nodes = List.of(
        new Node("c0", new LayerSpec.Conv2d(4, 3, 1, Padding.SAME, true), List.of("input")),
        new Node("c1", new LayerSpec.Conv2d(4, 3, 1, Padding.SAME, true), List.of("c0")),
        new Node("r", new LayerSpec.Relu(), List.of("c1")),
        new Node("add", new LayerSpec.Add(), List.of("c0", "r")),
        new Node("flatten", new LayerSpec.Flatten(), List.of("add")),
        new Node("dense", new LayerSpec.Dense(2), List.of("flatten")));
    Architecture a = new Architecture(6, 6, 1, nodes, 0);
    assertEquals(List.of("c0", "c1", "r", "add", "flatten", "dense"),
        KerasExport.kerasOrder(a.resolvedLayers()).stream().map(Layer::name).toList());
  }
}
