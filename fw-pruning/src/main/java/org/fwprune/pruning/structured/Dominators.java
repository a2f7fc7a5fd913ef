package org.fwprune.pruning.structured;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Node;

/**
 * Dominators of a network's nodes: node {@code d} dominates {@code n} when every path from the
 * input to {@code n} passes through {@code d}. In a DAG listed in topological order, a node's
 * immediate dominator is the nearest common dominator of its inputs (Cooper, Harvey and Kennedy
 * 2001, "A simple, fast dominance algorithm", on an acyclic graph one pass suffices).
 * {@link SelectionGraph} tiles the batch at the nearest common dominator of a group's producers,
 * so that every branch that reaches the group sees the copies, and nothing before it is computed
 * more than once.
 */
final class Dominators {

  private final Map<String, String> idom = new HashMap<>();
  private final Map<String, Integer> depth = new HashMap<>();

  Dominators(Architecture architecture) {
    depth.put(Architecture.INPUT, 0);
    for (Node node : architecture.nodes()) {
      String d = common(node.inputs());
      idom.put(node.name(), d);
      depth.put(node.name(), depth.get(d) + 1);
    }
  }

  /** The nearest node that dominates all of {@code nodes} (each may dominate itself). */
  String common(List<String> nodes) {
    String d = nodes.get(0);
    for (String n : nodes.subList(1, nodes.size())) {
      String m = n;
      while (!d.equals(m)) {
        if (depth.get(d) >= depth.get(m)) {
          d = idom.get(d);
        } else {
          m = idom.get(m);
        }
      }
    }
    return d;
  }
}
