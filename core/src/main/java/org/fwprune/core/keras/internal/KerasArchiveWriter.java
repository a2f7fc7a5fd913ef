package org.fwprune.core.keras.internal;

import static com.google.common.base.Preconditions.checkArgument;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a Keras 3 {@code .keras} archive: {@code metadata.json}, the given {@code config.json}
 * and a {@code model.weights.h5} with each layer's tensors under {@code layers/<name>/vars/<i>},
 * the layout Keras' own saver writes and {@code keras.saving.load_model} reads. The HDF5 file is
 * written with jHDF. Layers without tensors need no group: Keras reads a missing group as "no
 * variables".
 */
public final class KerasArchiveWriter {

  /**
   * The version written into {@code metadata.json}: the first Keras with this archive format.
   * Keras reads the field for information only.
   */
  public static final String FORMAT_KERAS_VERSION = "3.0.0";

  /** One tensor: its shape and its values, row-major. */
  public record Tensor(long[] shape, float[] values) {
    /** Checks that the values fill the shape. */
    public Tensor {
      checkArgument(shape != null && values != null, "shape and values must not be null");
      long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      checkArgument(size == values.length, "shape %s needs %s values, got %s",
          Arrays.toString(shape), size, values.length);
      shape = shape.clone();
    }
  }

  /** A layer's weights group (see {@link ArchiveWeightNames}) and its tensors in Keras' order. */
  public record LayerWeights(String layer, List<Tensor> tensors) {
    /** Copies the list. */
    public LayerWeights {
      checkArgument(layer != null && !layer.isEmpty(), "layer name must not be empty");
      tensors = List.copyOf(tensors);
    }
  }

  private KerasArchiveWriter() {}

  /**
   * Writes the archive to {@code target} atomically: a temporary sibling file renamed into place,
   * replacing an existing file. A failed write leaves no partial file behind.
   */
  public static void write(Path target, String configJson, List<LayerWeights> layers)
      throws IOException {
    checkArgument(configJson != null, "configJson must not be null");
    checkArgument(layers != null, "layers must not be null");
    Path file = target.toAbsolutePath().normalize();
    if (Files.isDirectory(file)) {
      throw new IOException("cannot write a Keras archive to " + file + ": it is a folder");
    }
    Path parent = file.getParent();
    Files.createDirectories(parent);
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Path weights = parent.resolve("." + file.getFileName() + ".weights-" + tag + ".h5");
    Path zip = parent.resolve("." + file.getFileName() + ".tmp-" + tag);
    try {
      writeWeights(weights, layers);
      try (OutputStream out = Files.newOutputStream(zip);
          ZipOutputStream archive = new ZipOutputStream(out)) {
        put(archive, KerasFile.METADATA_ENTRY, ("{\"keras_version\": \"" + FORMAT_KERAS_VERSION
            + "\", \"saved_by\": \"fwprune\"}").getBytes(StandardCharsets.UTF_8));
        put(archive, KerasFile.CONFIG_ENTRY, configJson.getBytes(StandardCharsets.UTF_8));
        put(archive, KerasFile.WEIGHTS_ENTRY, Files.readAllBytes(weights));
      }
      Files.move(zip, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(weights);
      Files.deleteIfExists(zip);
    }
  }

  private static void writeWeights(Path file, List<LayerWeights> layers) throws IOException {
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      WritableGroup root = hdf.putGroup("layers");
      for (LayerWeights layer : layers) {
        if (layer.tensors().isEmpty()) {
          continue;
        }
        WritableGroup vars = root.putGroup(layer.layer()).putGroup("vars");
        for (int i = 0; i < layer.tensors().size(); i++) {
          vars.putDataset(String.valueOf(i), nested(layer.tensors().get(i)));
        }
      }
    } catch (RuntimeException e) {
      throw new IOException("cannot write the weights of a Keras archive to " + file + ": " + e,
          e);
    }
  }

  /** jHDF takes the shape from the Java array's nesting: build float[d0][d1]... from the flat values. */
  private static Object nested(Tensor tensor) {
    int[] dims = Arrays.stream(tensor.shape()).mapToInt(Math::toIntExact).toArray();
    if (dims.length == 0) {
      return tensor.values().clone();
    }
    Object array = Array.newInstance(float.class, dims);
    fill(array, dims, 0, tensor.values(), new int[] {0});
    return array;
  }

  private static void fill(Object array, int[] dims, int axis, float[] values, int[] next) {
    if (axis == dims.length - 1) {
      float[] row = (float[]) array;
      System.arraycopy(values, next[0], row, 0, row.length);
      next[0] += row.length;
      return;
    }
    for (int i = 0; i < dims[axis]; i++) {
      fill(Array.get(array, i), dims, axis + 1, values, next);
    }
  }

  private static void put(ZipOutputStream archive, String name, byte[] bytes) throws IOException {
    archive.putNextEntry(new ZipEntry(name));
    archive.write(bytes);
    archive.closeEntry();
  }
}
