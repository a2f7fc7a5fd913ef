package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.fwprune.examples.study.GridRunner;
import org.fwprune.examples.study.RowFormat;

/**
 * The {@code results.csv} file: one header line, then one row per finished cell. The {@link
 * GridRunner} writes it through {@link #ROWS}, rewriting it atomically after every cell.
 *
 * <p>Earlier versions appended rows one by one, so {@link #read} drops a final line without its
 * newline (an interrupted append). The columns are those of {@link #HEADER}. Files written before
 * the trailing {@code flops_per_example} column existed ({@link #LEGACY_HEADER}) are still read,
 * their rows without FLOPs; the runner rewrites such a file with the current header and an empty
 * FLOPs field in its old rows when it adds a row, so that a resumed run keeps one format per file.
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

  /** The rows of a results file, for the {@link GridRunner}. */
  public static final RowFormat<CellResult> ROWS = new RowFormat<>() {
    @Override
    public String header() {
      return String.join(",", HEADER);
    }

    @Override
    public boolean reads(String header) {
      return header().equals(header) || String.join(",", LEGACY_HEADER).equals(header);
    }

    @Override
    public String csv(CellResult row) {
      return rowLine(row).stripTrailing();
    }

    @Override
    public CellResult parse(String line) {
      try (CSVParser parser = CSVParser.parse(new StringReader(line), FORMAT)) {
        List<CSVRecord> records = parser.getRecords();
        checkArgument(records.size() == 1, "expected one row, found %s", records.size());
        CSVRecord record = records.get(0);
        checkArgument(record.size() == HEADER.size() || record.size() == LEGACY_HEADER.size(),
            "expected %s or %s columns, found %s", HEADER.size(), LEGACY_HEADER.size(),
            record.size());
        return cellResult(record);
      } catch (IOException e) {
        // Parsing a String cannot fail to read.
        throw new UncheckedIOException(e);
      }
    }
  };

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
        if (record.size() != header.size()) {
          throw new IOException(String.format(Locale.ROOT,
              "%s line %d: expected %d columns, found %d", file, line, header.size(),
              record.size()));
        }
        try {
          rows.add(cellResult(record));
        } catch (IllegalArgumentException e) {
          throw new IOException(String.format(Locale.ROOT, "%s line %d: %s", file, line,
              e.getMessage()), e);
        }
      }
    }
    return rows;
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

  /** The row of a record of 12 (legacy, no FLOPs) or 13 columns. */
  private static CellResult cellResult(CSVRecord r) {
    Cell cell = new Cell(Method.fromId(r.get(0)), Integer.parseInt(r.get(1)),
        Integer.parseInt(r.get(2)), Double.parseDouble(r.get(3)));
    String flops = r.size() > LEGACY_HEADER.size() ? r.get(LEGACY_HEADER.size()) : "";
    return new CellResult(cell, Double.parseDouble(r.get(4)), Double.parseDouble(r.get(5)),
        Double.parseDouble(r.get(6)), Double.parseDouble(r.get(7)),
        Double.parseDouble(r.get(8)), Double.parseDouble(r.get(9)),
        Double.parseDouble(r.get(10)), Long.parseLong(r.get(11)),
        flops.isEmpty() ? Double.NaN : Long.parseLong(flops));
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
