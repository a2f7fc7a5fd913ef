package org.fwprune.core.model;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One node of an {@link Architecture}: a named layer and the names of the nodes it reads, the
 * model's input being {@value Architecture#INPUT}.
 *
 * @param name unique name, such as {@code conv2d_1}; parameters are keyed {@code name/kernel}
 * @param spec the layer
 * @param inputs names of the nodes whose outputs feed it, in order
 */
public record Node(String name, LayerSpec spec, List<String> inputs) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

  /** Checks the name's form and copies the inputs. */
  public Node {
    checkArgument(name != null && NAME.matcher(name).matches(),
        "layer name must be 1-128 letters, digits, '_', '.' or '-' starting with a letter or"
            + " digit, got %s", name);
    checkArgument(spec != null, "layer %s has no spec", name);
    checkArgument(inputs != null && !inputs.isEmpty(), "layer %s has no input", name);
    inputs = ImmutableList.copyOf(inputs);
  }
}
