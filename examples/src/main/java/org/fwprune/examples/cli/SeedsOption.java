package org.fwprune.examples.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --seeds} list of the studies that repeat every cell once per seed (a mixin). */
public final class SeedsOption {

  @Option(names = "--seeds", split = ",", defaultValue = "0,1,2",
      descriptionKey = "SeedsOption.seeds")
  List<Long> seeds;

  /** The seeds given, in order. */
  public List<Long> seeds() {
    return seeds;
  }
}
