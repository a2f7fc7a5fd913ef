package org.fwprune.examples.cli;

import org.fwprune.examples.study.Shard;

/** Converts {@code K/N} to a {@link Shard}, for every command with {@code --shard}. */
public final class ShardConverter extends ParsingConverter<Shard> {

  /** The converter picocli instantiates. */
  public ShardConverter() {
    super(Shard::parse);
  }
}
