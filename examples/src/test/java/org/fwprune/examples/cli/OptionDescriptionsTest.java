package org.fwprune.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The option descriptions live in resource bundles (cli/Options.properties for the mixins, one
 * file per command): every option of every command reachable from {@code fwprune} finds its text.
 */
class OptionDescriptionsTest {

  /** Every command of the tree, its own and its subcommands', depth first. */
  private static Stream<CommandLine> commands() {
    List<CommandLine> all = new ArrayList<>();
    collect(FwpruneCli.commandLine(), all);
    return all.stream();
  }

  private static void collect(CommandLine command, List<CommandLine> all) {
    all.add(command);
    // An alias lists the same CommandLine again; each is visited once.
    command.getSubcommands().values().stream().distinct().forEach(c -> collect(c, all));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyOption_hasADescriptionFromItsBundle(CommandLine command) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      String text = String.join(" ", option.description());
      assertTrue(!text.isBlank(),
          command.getCommandName() + " " + option.longestName() + " has no description");
    }
  }

  @Test
  void theTree_holdsEveryStudy() {
    CommandLine study = FwpruneCli.commandLine().getSubcommands().get("study");

    assertEquals(List.of("reproduce", "sfw", "sfw-filter", "structured"),
        study.getSubcommands().keySet().stream().filter(n -> !n.endsWith("-study")).sorted()
            .toList());
  }
}
