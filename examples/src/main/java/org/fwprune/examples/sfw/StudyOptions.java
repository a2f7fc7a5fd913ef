package org.fwprune.examples.sfw;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.fwprune.core.io.AtomicFiles;
import org.fwprune.examples.cli.NetworkOption;
import org.fwprune.examples.cli.SeedsOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options both SFW studies share (a picocli mixin): the network, the seeds, the threads of
 * each model, the
 * CSV file written at the end and {@code --summary}, which reads finished files instead of
 * training.
 */
final class StudyOptions {

  @Mixin
  SeedsOption seeds = new SeedsOption();

  @Mixin
  NetworkOption network = new NetworkOption();

  @Option(names = "--threads", defaultValue = "1",
      description = "TensorFlow intra-op threads per model, 0 for all cores (default"
          + " ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--out", paramLabel = "FILE", description = "CSV file written at the end.")
  Path out;

  @Option(names = "--summary", paramLabel = "CSV", split = ",",
      description = "Train nothing: print the markdown tables of finished study CSV files.")
  List<Path> summary;

  /** Writes {@code header} and a line per row to {@code --out} in one atomic write, if given. */
  <R> void writeCsv(String header, List<R> rows, Function<R, String> csv) throws IOException {
    if (out == null) {
      return;
    }
    StringBuilder text = new StringBuilder(header).append('\n');
    rows.forEach(r -> text.append(csv.apply(r)).append('\n'));
    AtomicFiles.writeString(out, text.toString());
  }
}
