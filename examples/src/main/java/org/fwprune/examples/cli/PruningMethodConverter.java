package org.fwprune.examples.cli;

import org.fwprune.pruning.catalogue.PruningMethod;

/** Converts a method name such as {@code fw-momentum} to a catalogue {@link PruningMethod}. */
final class PruningMethodConverter extends ParsingConverter<PruningMethod> {

  PruningMethodConverter() {
    super(value -> PruningMethod.fromId(value.trim()));
  }
}
