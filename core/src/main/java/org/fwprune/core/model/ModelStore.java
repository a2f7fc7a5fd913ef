package org.fwprune.core.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.hash.Hashing;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads and writes a model folder: {@code model.json} (format, architecture, variable list and the
 * SHA-256 of the weights) and {@code weights.bin} (little-endian float32 values of every variable,
 * masks included, in the listed order).
 *
 * <p>Saving writes a sibling temporary folder and renames it into place, so a crash leaves either
 * the old model or the new one, never a mix.
 */
final class ModelStore {

  static final String FORMAT = "fwprune-model";
  static final int VERSION = 1;
  static final String MODEL_FILE = "model.json";
  static final String WEIGHTS_FILE = "weights.bin";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** One variable's name and shape, in file order. */
  record VariableEntry(String name, List<Long> shape) {
    long size() {
      return shape.stream().reduce(1L, (a, b) -> a * b);
    }
  }

  /** The content of {@code model.json}. */
  record Manifest(String format, int version, Architecture architecture,
      List<VariableEntry> variables, String weightsSha256) {}

  /** A loaded model folder. */
  record Stored(Architecture architecture, Map<String, float[]> values) {}

  private ModelStore() {}

  static void save(Path dir, Architecture architecture, List<VariableEntry> entries,
      Map<String, float[]> values) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null) {
      throw new IOException("cannot save a model to the root folder " + target);
    }
    Files.createDirectories(parent);
    if (Files.exists(target) && !isReplaceable(target)) {
      throw new IOException("refusing to overwrite " + target
          + ": it exists and is neither an empty folder nor a saved fwprune model");
    }
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + tag);
    try {
      Files.createDirectory(tmp);
      byte[] weights = encode(entries, values);
      writeSynced(tmp.resolve(WEIGHTS_FILE), weights);
      Manifest manifest = new Manifest(FORMAT, VERSION, architecture, entries,
          Hashing.sha256().hashBytes(weights).toString());
      writeSynced(tmp.resolve(MODEL_FILE), JSON.writeValueAsBytes(manifest));
      if (Files.exists(target)) {
        Path old = parent.resolve("." + target.getFileName() + ".old-" + tag);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        MoreFiles.deleteRecursively(old, RecursiveDeleteOption.ALLOW_INSECURE);
      } else {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      if (Files.exists(tmp)) {
        MoreFiles.deleteRecursively(tmp, RecursiveDeleteOption.ALLOW_INSECURE);
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

  static Stored load(Path dir) throws IOException {
    Path manifestFile = dir.resolve(MODEL_FILE);
    Path weightsFile = dir.resolve(WEIGHTS_FILE);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IOException("no saved model in " + dir + ": " + MODEL_FILE + " is missing");
    }
    Manifest manifest;
    try {
      manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("cannot read " + manifestFile + ": " + e.getMessage(), e);
    }
    if (!FORMAT.equals(manifest.format()) || manifest.version() != VERSION) {
      throw new IOException(manifestFile + " is not a fwprune model of format version " + VERSION
          + " (found format " + manifest.format() + ", version " + manifest.version() + ")");
    }
    if (manifest.architecture() == null || manifest.variables() == null) {
      throw new IOException(manifestFile + " lacks the architecture or the variable list");
    }
    if (!Files.isRegularFile(weightsFile)) {
      throw new IOException("model " + dir + " is incomplete: " + WEIGHTS_FILE + " is missing");
    }
    byte[] weights = Files.readAllBytes(weightsFile);
    String sha = Hashing.sha256().hashBytes(weights).toString();
    if (!sha.equals(manifest.weightsSha256())) {
      throw new IOException("model " + dir + " is corrupt: the SHA-256 of " + WEIGHTS_FILE
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

  static List<VariableEntry> entries(List<String> keys, Map<String, List<Long>> shapes) {
    List<VariableEntry> out = new ArrayList<>();
    keys.forEach(k -> out.add(new VariableEntry(k, shapes.get(k))));
    return out;
  }
}
