package org.fwprune.core.keras.internal;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.io.ByteStreams;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.fwprune.core.keras.KerasLimits;

/**
 * A Keras model file opened for reading: the model's config (Keras' JSON) and its weights, by
 * layer name and position. Reads the Keras 3 {@code .keras} archive and the legacy HDF5
 * {@code .h5} file, told apart by their first bytes; HDF5 is parsed by jHDF.
 *
 * <p>Every failure is an {@link IOException} whose message starts with the file's path:
 * whatever a corrupt file makes the parsers throw is caught here, and sizes are checked against
 * {@link KerasLimits} before anything that large is allocated.
 */
public final class KerasFile implements AutoCloseable {

  /** Name of the model config inside a {@code .keras} archive. */
  public static final String CONFIG_ENTRY = "config.json";
  /** Name of the weights file inside a {@code .keras} archive. */
  public static final String WEIGHTS_ENTRY = "model.weights.h5";
  /** Name of the metadata file inside a {@code .keras} archive. */
  public static final String METADATA_ENTRY = "metadata.json";

  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
  private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  /** The two layouts Keras saves models in. */
  public enum Format {
    /** Keras 3 archive: weights under {@code layers/<name>/vars/<i>}. */
    KERAS_V3,
    /** Legacy HDF5: weights under {@code model_weights/<name>}, listed by {@code weight_names}. */
    LEGACY_H5
  }

  private final Path path;
  private final Format format;
  private final String config;
  private final HdfFile weights;

  private KerasFile(Path path, Format format, String config, HdfFile weights) {
    this.path = path;
    this.format = format;
    this.config = config;
    this.weights = weights;
  }

  /**
   * Opens {@code path}, reading its config and its weights file into memory within
   * {@code limits}.
   *
   * @throws IOException if the file is missing, of another kind, truncated, corrupt or over
   *     the limits; the message names the file
   */
  public static KerasFile open(Path path, KerasLimits limits) throws IOException {
    checkArgument(path != null, "path must not be null");
    checkArgument(limits != null, "limits must not be null");
    if (!Files.isRegularFile(path)) {
      throw new IOException(path + " is not a file");
    }
    byte[] head = new byte[HDF5_MAGIC.length];
    int read;
    try (InputStream in = Files.newInputStream(path)) {
      read = in.readNBytes(head, 0, head.length);
    }
    if (startsWith(head, read, ZIP_MAGIC)) {
      return openArchive(path, limits);
    }
    if (startsWith(head, read, HDF5_MAGIC)) {
      return openLegacy(path, limits);
    }
    throw new IOException(path + " is neither a Keras 3 .keras archive (zip) nor a legacy"
        + " Keras .h5 file (HDF5): its first bytes are " + Arrays.toString(
            Arrays.copyOf(head, read)));
  }

  private static KerasFile openArchive(Path path, KerasLimits limits) throws IOException {
    String config;
    byte[] weightBytes;
    try (ZipFile zip = new ZipFile(path.toFile())) {
      if (zip.size() > limits.maxEntries()) {
        throw new IOException(path + " lists " + zip.size() + " entries, over the limit of "
            + limits.maxEntries() + "; a Keras archive has 3");
      }
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        // Nothing is extracted to disk, but a name that climbs out of the archive marks a
        // crafted file: refuse it rather than guess what was meant.
        if (name.startsWith("/") || name.contains("\\") || name.contains("..")) {
          throw new IOException(path + " has an entry with an unsafe path: " + name);
        }
      }
      config = new String(entry(path, zip, CONFIG_ENTRY, limits.maxConfigBytes()),
          StandardCharsets.UTF_8);
      weightBytes = entry(path, zip, WEIGHTS_ENTRY, limits.maxWeightsBytes());
    } catch (IOException e) {
      throw e.getMessage() != null && e.getMessage().startsWith(path.toString()) ? e
          : new IOException(path + " is not a readable .keras archive (zip): " + e.getMessage(),
              e);
    } catch (RuntimeException e) {
      throw new IOException(path + " is not a readable .keras archive (zip): " + e, e);
    }
    String text = config;
    return withWeights(path, Format.KERAS_V3, WEIGHTS_ENTRY + " in ", weightBytes, hdf -> text);
  }

  private static byte[] entry(Path path, ZipFile zip, String name, long max) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null || entry.isDirectory()) {
      throw new IOException(path + " has no " + name + "; a Keras 3 .keras archive holds "
          + CONFIG_ENTRY + " and " + WEIGHTS_ENTRY);
    }
    if (entry.getSize() > max) {
      throw new IOException(path + ": " + name + " declares " + entry.getSize()
          + " bytes, over the limit of " + max + raise(name));
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      // Read at most one byte past the limit: the declared size may lie (a zip bomb).
      bytes = ByteStreams.limit(in, max + 1).readAllBytes();
    }
    if (bytes.length > max) {
      throw new IOException(path + ": " + name + " inflates to more than the limit of " + max
          + " bytes" + raise(name));
    }
    if (entry.getSize() >= 0 && bytes.length != entry.getSize()) {
      throw new IOException(path + ": " + name + " declares " + entry.getSize()
          + " bytes but holds " + bytes.length);
    }
    // The JDK's ZipFile does not check the CRC; without it a flipped byte in the weights would
    // load as a silently wrong model.
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw new IOException(path + ": " + name + " is corrupt: its CRC-32 is "
          + Long.toHexString(crc.getValue()) + " but the archive records "
          + Long.toHexString(entry.getCrc()));
    }
    return bytes;
  }

  /**
   * How to read a larger file: the {@link KerasLimits} bound that refused it, and its ceiling.
   * Both bounds stop at {@link KerasLimits#MAX_WEIGHTS_BYTES}, the most one Java array holds,
   * since each entry is read into one.
   */
  private static String raise(String entry) {
    String bound = entry.equals(CONFIG_ENTRY) ? "maxConfigBytes" : "maxWeightsBytes";
    return "; a file you trust can be read with Cnn.loadKeras(path, new KerasLimits(...)) and a"
        + " larger " + bound + ", up to " + KerasLimits.MAX_WEIGHTS_BYTES;
  }

  private static KerasFile openLegacy(Path path, KerasLimits limits) throws IOException {
    long size = Files.size(path);
    if (size > limits.maxWeightsBytes()) {
      throw new IOException(path + " has " + size + " bytes, over the limit of "
          + limits.maxWeightsBytes() + raise(WEIGHTS_ENTRY));
    }
    return withWeights(path, Format.LEGACY_H5, "", Files.readAllBytes(path), hdf -> {
      Attribute attribute = hdf.getAttribute("model_config");
      Object value = attribute == null ? null : attribute.getData();
      if (!(value instanceof String config)) {
        throw new IOException(path + " is an HDF5 file without a Keras model: its root has no"
            + " model_config text attribute (a weights-only file?)");
      }
      return config;
    });
  }

  /** Reads the model config of a file whose HDF5 part is parsed. */
  @FunctionalInterface
  private interface ConfigSource {
    String read(HdfFile hdf) throws IOException;
  }

  /** Parses the HDF5 {@code bytes} and opens the file; nothing stays open if that fails. */
  private static KerasFile withWeights(Path path, Format format, String what, byte[] bytes,
      ConfigSource config) throws IOException {
    HdfFile hdf;
    try {
      hdf = HdfFile.fromBytes(bytes);
    } catch (RuntimeException e) {
      throw new IOException(path + ": " + what + "is not a readable HDF5 file: " + e, e);
    }
    try {
      // jHDF reads only what it is asked for, so a file cut after the model's weights would
      // go unnoticed: the superblock records where the file ends.
      long end = hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress()
          + hdf.getHdfBackingStorage().getSuperblock().getBaseAddressByte();
      if (end > bytes.length) {
        throw new IOException(path + ": " + what + "is truncated: HDF5 records " + end
            + " bytes, found " + bytes.length);
      }
      return new KerasFile(path, format, config.read(hdf), hdf);
    } catch (IOException e) {
      hdf.close();
      throw e;
    } catch (RuntimeException e) {
      hdf.close();
      throw corrupt(path, e);
    }
  }

  private static IOException corrupt(Path path, RuntimeException e) {
    return new IOException(path + ": corrupt HDF5 content: " + e, e);
  }

  private static boolean startsWith(byte[] head, int read, byte[] magic) {
    return read >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
  }

  /** The file read. */
  public Path path() {
    return path;
  }

  /** Which of Keras' layouts the file has. */
  public Format format() {
    return format;
  }

  /** The model's config: Keras' JSON, with {@code class_name} and {@code config} at the top. */
  public String config() {
    return config;
  }

  /**
   * Where the file keeps each layer's weights: in a {@code .keras} archive the group named by
   * {@link ArchiveWeightNames}, in a legacy file the layer's name.
   *
   * @param layerName the layer's name in the config
   * @param group the layer's group from an {@link ArchiveWeightNames} fed every layer in order
   */
  public String weightsKey(String layerName, String group) {
    return format == Format.KERAS_V3 ? group : layerName;
  }

  /** How many weight tensors the file holds under {@code layer}, a {@link #weightsKey}. */
  public int weightCount(String layer) throws IOException {
    try {
      return switch (format) {
        case KERAS_V3 -> {
          Node vars = find("layers/" + layer + "/vars");
          yield vars instanceof Group g ? g.getChildren().size() : 0;
        }
        case LEGACY_H5 -> weightNames(layer).length;
      };
    } catch (RuntimeException e) {
      throw corrupt(path, e);
    }
  }

  /**
   * The {@code index}-th weight tensor under {@code layer}, a {@link #weightsKey} (in Keras' order: kernel, bias;
   * gamma, beta, moving mean, moving variance), flattened row-major.
   *
   * @throws IOException if it is missing, not float32 or not of shape {@code shape}
   */
  public float[] weight(String layer, int index, long[] shape) throws IOException {
    try {
      String where = switch (format) {
        case KERAS_V3 -> "layers/" + layer + "/vars/" + index;
        case LEGACY_H5 -> {
          String[] names = weightNames(layer);
          yield index < names.length ? "model_weights/" + layer + "/" + names[index] : null;
        }
      };
      Node node = where == null ? null : find(where);
      if (!(node instanceof Dataset dataset)) {
        throw new IOException(path + ": " + where(layer) + " has no weight " + index
            + " (expected of shape " + Arrays.toString(shape) + ")");
      }
      long[] found = Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
      if (!Arrays.equals(found, shape)) {
        throw new IOException(path + ": weight " + index + " of " + where(layer) + " has shape "
            + Arrays.toString(found) + " but the model config needs " + Arrays.toString(shape));
      }
      if (dataset.getJavaType() != float.class) {
        throw new IOException(path + ": weight " + index + " of " + where(layer) + " holds "
            + dataset.getJavaType().getSimpleName() + " values; only float32 is supported");
      }
      Object data = dataset.getDataFlat();
      if (!(data instanceof float[] values) || values.length != product(shape)) {
        throw new IOException(path + ": weight " + index + " of " + where(layer)
            + " could not be read as " + product(shape) + " float32 values");
      }
      return values;
    } catch (RuntimeException e) {
      throw corrupt(path, e);
    }
  }

  private String where(String layer) {
    return format == Format.KERAS_V3 ? "weights group layers/" + layer : "layer " + layer;
  }

  private String[] weightNames(String layer) throws IOException {
    Node group = find("model_weights/" + layer);
    if (group == null) {
      return new String[0];
    }
    Attribute names = group.getAttribute("weight_names");
    Object data = names == null ? null : names.getData();
    if (data instanceof String[] strings) {
      return strings;
    }
    if (data == null || java.lang.reflect.Array.getLength(data) == 0) {
      return new String[0];
    }
    throw new IOException(path + ": weight_names of layer " + layer + " is not a list of names");
  }

  private Node find(String where) {
    Node node = weights;
    for (String part : where.split("/")) {
      if (!(node instanceof Group group)) {
        return null;
      }
      node = group.getChildren().get(part);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private static long product(long[] shape) {
    return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
  }

  @Override
  public void close() {
    weights.close();
  }
}
