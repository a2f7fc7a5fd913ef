package org.fwprune.core.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.io.AtomicFiles;
import org.fwprune.core.model.Architecture;

/**
 * Reads and writes a model folder: {@code model.json} (format, architecture, variable list, the
 * weights file's name and SHA-256) and {@code weights-<sha>.bin} (little-endian float32 values of
 * every variable, masks included, in the listed order).
 *
 * <p>A new model is written to a sibling temporary folder renamed into place; an existing one gets
 * its new weights file first and then a new {@code model.json} by one atomic rename. Either way a
 * crash leaves the old model or the new one, never a mix, and loading checks the checksum.
 */
public final class ModelStore {

  static final String FORMAT = "fwprune-model";
  /** Version written: 2 stores the architecture as nodes with explicit inputs. */
  static final int VERSION = 2;
  /** Oldest version read: 1 stored a chain of layers. */
  static final int OLDEST_VERSION = 1;
  public static final String MODEL_FILE = "model.json";
  public static final String WEIGHTS_PREFIX = "weights-";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** One variable's name and shape, in file order. */
  public record VariableEntry(String name, List<Long> shape) {
    long size() {
      return shape.stream().reduce(1L, (a, b) -> a * b);
    }
  }

  /** The content of {@code model.json}. */
  record Manifest(String format, int version, Architecture architecture,
      List<VariableEntry> variables, String weightsFile, String weightsSha256) {}

  /** A loaded model folder. */
  public record Stored(Architecture architecture, Map<String, float[]> values) {}

  private ModelStore() {}

  public static void save(Path dir, Architecture architecture, List<VariableEntry> entries,
      Map<String, float[]> values) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null) {
      throw new IOException("cannot save a model to the root folder " + target);
    }
    byte[] weights = encode(entries, values);
    String sha = Hashing.sha256().hashBytes(weights).toString();
    // Weights go to a file named after their checksum; model.json, replaced by one atomic
    // rename, decides which weights file is the model. A crash at any point leaves a
    // model.json that names complete weights: the old model or the new one.
    String weightsName = WEIGHTS_PREFIX + sha.substring(0, 16) + ".bin";
    byte[] manifest = JSON.writeValueAsBytes(
        new Manifest(FORMAT, VERSION, architecture, entries, weightsName, sha));
    if (Files.exists(target)) {
      if (!isReplaceable(target)) {
        throw new IOException("refusing to overwrite " + target
            + ": it exists and is neither an empty folder nor a saved fwprune model");
      }
      replaceIn(target, weightsName, weights, manifest);
      return;
    }
    AtomicFiles.writeFolder(target, tmp -> {
      Files.createDirectory(tmp);
      writeSynced(tmp.resolve(weightsName), weights);
      writeSynced(tmp.resolve(MODEL_FILE), manifest);
    });
  }

  private static void replaceIn(Path target, String weightsName, byte[] weights, byte[] manifest)
      throws IOException {
    Path weightsFile = target.resolve(weightsName);
    if (!Files.exists(weightsFile)) {
      AtomicFiles.write(weightsFile, weights);
    }
    AtomicFiles.write(target.resolve(MODEL_FILE), manifest);
    try (var files = Files.list(target)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        // Older weights and what a crashed save left (".part" is the earlier versions' suffix).
        if (!name.equals(weightsName) && !name.equals(MODEL_FILE)
            && (name.startsWith(WEIGHTS_PREFIX) || name.endsWith(".part")
                || AtomicFiles.isTemporary(name))) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static boolean isReplaceable(Path target) throws IOException {
    if (!Files.isDirectory(target)) {
      return false;
    }
    if (Files.exists(target.resolve(MODEL_FILE))) {
      return true;
    }
    try (var files = Files.list(target)) {
      return files.findAny().isEmpty();
    }
  }

  public static Stored load(Path dir) throws IOException {
    Path manifestFile = dir.resolve(MODEL_FILE);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IOException("no saved model in " + dir + ": " + MODEL_FILE + " is missing");
    }
    Manifest manifest;
    try {
      manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("cannot read " + manifestFile + ": " + e.getMessage(), e);
    }
    if (!FORMAT.equals(manifest.format()) || manifest.version() < OLDEST_VERSION
        || manifest.version() > VERSION) {
      throw new IOException(manifestFile + " is not a fwprune model of format version "
          + OLDEST_VERSION + " to " + VERSION
          + " (found format " + manifest.format() + ", version " + manifest.version() + ")");
    }
    if (manifest.architecture() == null || manifest.variables() == null
        || manifest.weightsFile() == null || manifest.weightsFile().contains("/")
        || manifest.weightsFile().contains("\\")) {
      throw new IOException(manifestFile
          + " lacks the architecture, the variable list or a valid weights file name");
    }
    Path weightsFile = dir.resolve(manifest.weightsFile());
    if (!Files.isRegularFile(weightsFile)) {
      throw new IOException("model " + dir + " is incomplete: " + manifest.weightsFile()
          + " is missing");
    }
    byte[] weights = Files.readAllBytes(weightsFile);
    String sha = Hashing.sha256().hashBytes(weights).toString();
    if (!sha.equals(manifest.weightsSha256())) {
      throw new IOException("model " + dir + " is corrupt: the SHA-256 of " + weightsFile.getFileName()
          + " is " + sha + " but " + MODEL_FILE + " records " + manifest.weightsSha256());
    }
    return new Stored(manifest.architecture(), decode(weightsFile, manifest.variables(), weights));
  }

  private static byte[] encode(List<VariableEntry> entries, Map<String, float[]> values) {
    long total = entries.stream().mapToLong(VariableEntry::size).sum();
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(total * Float.BYTES))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (VariableEntry e : entries) {
      buf.asFloatBuffer().put(values.get(e.name()));
      buf.position(buf.position() + values.get(e.name()).length * Float.BYTES);
    }
    return buf.array();
  }

  private static Map<String, float[]> decode(Path file, List<VariableEntry> entries,
      byte[] weights) throws IOException {
    long expected = 0;
    for (VariableEntry e : entries) {
      if (e.name() == null || e.shape() == null || e.shape().stream().anyMatch(d -> d == null || d < 0)) {
        throw new IOException(file + ": malformed variable entry " + e);
      }
      expected += e.size() * Float.BYTES;
    }
    if (expected != weights.length) {
      throw new IOException(file + " holds " + weights.length + " bytes but the variables need "
          + expected);
    }
    ByteBuffer buf = ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, float[]> out = new LinkedHashMap<>();
    for (VariableEntry e : entries) {
      float[] v = new float[(int) e.size()];
      buf.asFloatBuffer().get(v);
      buf.position(buf.position() + v.length * Float.BYTES);
      out.put(e.name(), v);
    }
    return out;
  }

  private static void writeSynced(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  public static List<VariableEntry> entries(List<String> keys, Map<String, List<Long>> shapes) {
    List<VariableEntry> out = new ArrayList<>();
    keys.forEach(k -> out.add(new VariableEntry(k, shapes.get(k))));
    return out;
  }
}
