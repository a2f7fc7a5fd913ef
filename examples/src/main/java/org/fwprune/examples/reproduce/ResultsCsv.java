package org.fwprune.examples.reproduce;

import com.google.common.collect.ImmutableList;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.fwprune.core.io.AtomicFiles;

/**
 * The {@code results.csv} file: one header line, then one row per finished cell.
 *
 * <p>Rows are appended by an {@link Appender}, each with a single write of the whole line followed
 * by an fsync, so after a crash the file ends either before or after a row, never inside one.
 * {@link #read} drops a final line without its newline all the same, in case the file was written
 * by other means.
 *
 * <p>The columns are those of {@link #HEADER}. Files written before the trailing {@code
 * flops_per_example} column existed ({@link #LEGACY_HEADER}) are still read, their rows without
 * FLOPs; appending to such a file first rewrites it, atomically, with the current header and an
 * empty FLOPs field in its old rows, so that a resumed run keeps one format per file.
 */
public final class ResultsCsv {

  /** File name inside a results folder. */
  public static final String FILE_NAME = "results.csv";

  /** The column names of files written before the FLOPs column existed, in order. */
  public static final List<String> LEGACY_HEADER = List.of("method", "pretrain_epochs", "seed",
      "target_sparsity", "test_accuracy", "test_loss", "nonzero_fraction",
      "inference_ms_per_example", "inference_time_ratio", "train_seconds", "prune_seconds",
      "gradient_evaluations");

  /** The column names, in order: {@link #LEGACY_HEADER}, then {@code flops_per_example}. */
  public static final List<String> HEADER = ImmutableList.<String>builder()
      .addAll(LEGACY_HEADER).add("flops_per_example").build();

  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
      .setRecordSeparator("\n")
      .get();

  private ResultsCsv() {}

  /** The header line, with its newline. */
  public static String headerLine() {
    return format(HEADER);
  }

  /**
   * One row as text, with its newline. Numbers use fixed decimals so that reading a row back and
   * formatting it again gives the same text; unknown FLOPs are an empty field.
   */
  public static String rowLine(CellResult r) {
    Cell c = r.cell();
    return format(List.of(c.method().id(), Integer.toString(c.pretrainEpochs()),
        Integer.toString(c.seed()), Double.toString(c.targetSparsity()),
        fixed(r.testAccuracy(), 6), fixed(r.testLoss(), 6), fixed(r.nonzeroFraction(), 6),
        fixed(r.inferenceMsPerExample(), 6), fixed(r.inferenceTimeRatio(), 4),
        fixed(r.trainSeconds(), 3), fixed(r.pruneSeconds(), 3),
        Long.toString(r.gradientEvaluations()),
        r.hasFlops() ? fixed(r.flopsPerExample(), 0) : ""));
  }

  /** The rows of {@code file} (empty if it does not exist), in file order. */
  public static List<CellResult> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    text = end < 0 ? "" : text.substring(0, end + 1);
    if (text.isEmpty()) {
      return List.of();
    }
    List<CellResult> rows = new ArrayList<>();
    List<String> header = HEADER;
    try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
      for (CSVRecord record : parser) {
        long line = record.getRecordNumber();
        if (line == 1) {
          header = checkHeader(record, file);
          continue;
        }
        rows.add(parse(record, header.size(), file, line));
      }
    }
    return rows;
  }

  /** Whether {@code file} exists and starts with {@link #LEGACY_HEADER}. */
  static boolean isLegacy(Path file) throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return String.join(",", LEGACY_HEADER).equals(in.readLine());
    }
  }

  /** Opens {@code file} for appending rows, creating it with its header if it is new or empty. */
  public static Appender append(Path file) throws IOException {
    return new Appender(file);
  }

  /** Writes rows to a results file, one durable write per row. Not thread-safe. */
  public static final class Appender implements AutoCloseable {

    private final FileChannel channel;

    private Appender(Path file) throws IOException {
      repairTornTail(file);
      if (isLegacy(file)) {
        StringBuilder upgraded = new StringBuilder(headerLine());
        read(file).forEach(r -> upgraded.append(rowLine(r)));
        AtomicFiles.writeString(file, upgraded.toString());
      }
      this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      try {
        if (channel.size() == 0) {
          write(headerLine());
        } else {
          read(file);
        }
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }

    /** Appends one row and forces it to disk before returning. */
    public void append(CellResult row) throws IOException {
      write(rowLine(row));
    }

    private void write(String line) throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
      // One write call for the whole line; the loop only matters if the OS accepts a part.
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** Cuts a final line that lacks its newline: the trace of an interrupted write. */
  private static void repairTornTail(Path file) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes[bytes.length - 1] == '\n') {
      return;
    }
    int keep = bytes.length;
    while (keep > 0 && bytes[keep - 1] != '\n') {
      keep--;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(keep);
      ch.force(true);
    }
  }

  /** The header found, {@link #HEADER} or {@link #LEGACY_HEADER}. */
  private static List<String> checkHeader(CSVRecord record, Path file) throws IOException {
    List<String> found = record.toList();
    if (!found.equals(HEADER) && !found.equals(LEGACY_HEADER)) {
      throw new IOException(file + " is not a results file of this tool: expected the header "
          + String.join(",", HEADER) + ", found " + String.join(",", found));
    }
    return found;
  }

  private static CellResult parse(CSVRecord r, int columns, Path file, long line)
      throws IOException {
    if (r.size() != columns) {
      throw new IOException(String.format(Locale.ROOT, "%s line %d: expected %d columns, found %d",
          file, line, columns, r.size()));
    }
    try {
      Cell cell = new Cell(Method.fromId(r.get(0)), Integer.parseInt(r.get(1)),
          Integer.parseInt(r.get(2)), Double.parseDouble(r.get(3)));
      String flops = columns > 12 ? r.get(12) : "";
      return new CellResult(cell, Double.parseDouble(r.get(4)), Double.parseDouble(r.get(5)),
          Double.parseDouble(r.get(6)), Double.parseDouble(r.get(7)),
          Double.parseDouble(r.get(8)), Double.parseDouble(r.get(9)),
          Double.parseDouble(r.get(10)), Long.parseLong(r.get(11)),
          flops.isEmpty() ? Double.NaN : Long.parseLong(flops));
    } catch (IllegalArgumentException e) {
      throw new IOException(String.format(Locale.ROOT, "%s line %d: %s", file, line,
          e.getMessage()), e);
    }
  }

  private static String fixed(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  private static String format(List<String> values) {
    StringWriter out = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
      printer.printRecord(values);
    } catch (IOException e) {
      // A StringWriter never fails.
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
