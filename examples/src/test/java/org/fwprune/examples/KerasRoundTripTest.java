package org.fwprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KerasRoundTrip} on core's Keras fixtures: three archives with what each case promises. */
class KerasRoundTripTest {

  @TempDir
  Path dir;

  private Path fixture(String name) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/keras/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void run_writesDenseUnstructuredAndStructuredArchives() throws IOException {
    List<KerasRoundTrip.Case> cases = KerasRoundTrip.run(fixture("sequential_cnn.keras"),
        fixture("paper_cnn.keras"), dir.resolve("out"));
    assertEquals(List.of("dense", "unstructured", "structured"),
        cases.stream().map(KerasRoundTrip.Case::name).toList());
    cases.forEach(c -> assertTrue(Files.isRegularFile(c.file()), c.file().toString()));
    assertEquals(0, cases.get(0).kernelZeroFraction());
    // One global threshold over 540 kernel weights: 90% zeros, give or take a tie.
    assertEquals(0.9, cases.get(1).kernelZeroFraction(), 2e-3);
    assertEquals(cases.get(0).parameters(), cases.get(1).parameters());
    // paper_cnn has 763 parameters; half the filters of each layer leave 239.
    assertEquals(239, cases.get(2).parameters());
  }
}
