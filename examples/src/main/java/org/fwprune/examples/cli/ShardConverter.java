package org.fwprune.examples.cli;

import org.fwprune.examples.reproduce.Shard;

/** Converts {@code K/N} to a {@link Shard}. */
final class ShardConverter extends ParsingConverter<Shard> {

  ShardConverter() {
    super(Shard::parse);
  }
}
