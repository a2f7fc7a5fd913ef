package org.fwprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.fwprune.core.keras.KerasLimits;
import org.fwprune.core.keras.internal.KerasFile;
import org.fwprune.core.keras.internal.KerasImport;
import org.fwprune.core.testing.KerasFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Broken, hostile and unsupported Keras files: each fails with an {@link IOException} or an
 * {@link IllegalArgumentException} whose message names the file, and nothing else.
 */
class KerasBadInputTest {

  private static final Duration PER_CASE = Duration.ofSeconds(10);

  @TempDir
  Path tmp;

  /** The archive's entries, in order. */
  private static Map<String, byte[]> entries(Path archive) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        try (InputStream in = zip.getInputStream(entry)) {
          out.put(entry.getName(), in.readAllBytes());
        }
      }
    }
    return out;
  }

  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A copy of fixture {@code name}.keras whose config.json is edited by {@code edit}. */
  private Path withConfig(String name, UnaryOperator<String> edit) throws IOException {
    Map<String, byte[]> entries = entries(KerasFixtures.path(name + ".keras"));
    String config = new String(entries.get(KerasFile.CONFIG_ENTRY), StandardCharsets.UTF_8);
    String edited = edit.apply(config);
    assertTrue(!edited.equals(config), "the edit must change the config");
    entries.put(KerasFile.CONFIG_ENTRY, edited.getBytes(StandardCharsets.UTF_8));
    return write("edited-" + name.replace('/', '-') + ".keras", zip(entries));
  }

  private Path write(String file, byte[] bytes) throws IOException {
    Path path = tmp.resolve(file);
    Files.write(path, bytes);
    return path;
  }

  /** Loads {@code file} expecting a failure of {@code type} naming the file; returns the message. */
  private static <T extends Exception> String assertRefused(Class<T> type, Path file) {
    T e = assertThrows(type, () -> Cnn.loadKeras(file).close());
    assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e);
    return e.getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "message should mention '" + part + "': " + message);
    }
  }

  @ParameterizedTest(name = "{0} cut to {1} bytes")
  @CsvSource({"logits_cnn.keras, 0", "logits_cnn.keras, 3", "logits_cnn.keras, 100",
      "logits_cnn.keras, 20000", "logits_cnn.h5, 8", "logits_cnn.h5, 600", "logits_cnn.h5, 4000",
      "logits_cnn.h5, 30000"})
  void loadKeras_truncatedFile_throwsIOException(String fixture, int length) throws IOException {
    byte[] whole = Files.readAllBytes(KerasFixtures.path(fixture));
    assertRefused(IOException.class, write("cut-" + fixture, Arrays.copyOf(whole, length)));
  }

  @Test
  void loadKeras_corruptedCentralDirectory_throwsIOException() throws IOException {
    byte[] bytes = Files.readAllBytes(KerasFixtures.path("logits_cnn.keras"));
    // The central directory sits at the end of the archive: overwrite its last 200 bytes.
    Arrays.fill(bytes, bytes.length - 200, bytes.length, (byte) 0x5a);
    assertRefused(IOException.class, write("corrupt.keras", bytes));
  }

  @Test
  void loadKeras_archiveWithoutConfig_throwsIOExceptionNamingConfig() throws IOException {
    Map<String, byte[]> entries = entries(KerasFixtures.path("logits_cnn.keras"));
    entries.remove(KerasFile.CONFIG_ENTRY);
    assertMentions(assertRefused(IOException.class, write("noconfig.keras", zip(entries))),
        "config.json");
  }

  @Test
  void loadKeras_h5ThatIsNotHdf5_throwsIOException() throws IOException {
    Path file = write("text.h5", "this is not HDF5\n".repeat(100).getBytes(StandardCharsets.UTF_8));
    assertMentions(assertRefused(IOException.class, file), "neither");
  }

  @Test
  void loadKeras_weightShapesDifferFromConfig_throwsIOExceptionNamingShapes() throws IOException {
    // logits_cnn's first convolution has 4 filters; the config now claims 6.
    Path file = withConfig("logits_cnn", c -> c.replaceFirst("\"filters\": 4", "\"filters\": 6"));
    assertMentions(assertRefused(IOException.class, file), "[3, 3, 1, 4]", "[3, 3, 1, 6]");
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "sequential_cnn|\"class_name\": \"MaxPooling2D\"|\"class_name\": \"LSTM\"|max_pooling2d (LSTM)",
      "sequential_cnn|\"channels_last\"|\"channels_first\"|channels_first",
      "sequential_cnn|\"class_name\": \"Sequential\"|\"class_name\": \"MyModel\"|MyModel",
      "sequential_cnn|\"module\": \"keras.layers\", \"class_name\": \"Flatten\"|\"module\": \"my_package\", \"class_name\": \"Flatten\"|flatten (Flatten, module my_package)",
      "logits_cnn|\"activation\": \"linear\"|\"activation\": \"softmax\"|softmax only as the model's last layer",
      "logits_cnn|\"dilation_rate\": [1, 1]|\"dilation_rate\": [2, 2]|(Conv2D): conv2d with dilation 2x2 must have stride 1x1, got 2x2",
      "families/dilated|\"groups\": 2|\"groups\": 3|atrous_grouped: groups (3) must divide both its 8 input channels and its 12 filters",
      "families/dilated_depthwise|\"dilation_rate\": [3, 3]|\"dilation_rate\": [3, 1]|atrous_dw_valid (DepthwiseConv2D): dilation_rate [3,1] (only square sizes such as [3, 3])",
      "families/dilated_depthwise|\"strides\": [1, 1], \"padding\": \"valid\", \"data_format\": \"channels_last\", \"dilation_rate\": [3, 3]|\"strides\": [2, 2], \"padding\": \"valid\", \"data_format\": \"channels_last\", \"dilation_rate\": [3, 3]|atrous_dw_valid (DepthwiseConv2D): depthwiseConv2d with dilation 3 must have stride 1, got 2",
      "logits_cnn|\"activation\": \"relu\"|\"activation\": \"mish\"|mish",
      "paper_cnn|\"pool_size\": [2, 2], \"padding\": \"valid\"|\"pool_size\": [2, 2], \"padding\": \"causal\"|padding 'causal'",
      "functional_resnet|\"output_layers\": [\"dense_2\", 0, 0]|\"output_layers\": [[\"dense_2\", 0, 0], [\"add\", 0, 0]]|several outputs",
      "functional_resnet|\"input_layers\": [\"input_layer_1\", 0, 0]|\"input_layers\": [[\"input_layer_1\", 0, 0], [\"input_layer_2\", 0, 0]]|several inputs",
      "families/mobilenet_v3_small|\"class_name\": \"Add\", \"config\": {\"name\": \"add\"}|\"class_name\": \"Power\", \"config\": {\"name\": \"add\"}|operation add (Power of",
      "families/xception|\"class_name\": \"SeparableConv2D\"|\"class_name\": \"Lambda\"|block2_sepconv1 (Lambda) is not supported",
      "families/mobilenet_v2|\"max_value\": 6.0|\"max_value\": -1.0|relu maxValue must be positive (NO_MAX for none), got -1.0",
      "families/densenet121|\"axis\": 3}|\"axis\": 1}|axis 1 (only the channels axis, -1)",
      "families/convnext_tiny|\"groups\": 8|\"groups\": 3|(Conv2D): conv2d filters must be a multiple of groups (3), got 8",
      "families/convnext_tiny|\"rms_scaling\": false|\"rms_scaling\": true|(LayerNormalization): rms_scaling true",
      "families/convnext_tiny|\"module\": \"keras.src.applications.convnext\", \"class_name\": \"LayerScale\"|\"module\": \"my_package\", \"class_name\": \"LayerScale\"|(LayerScale, module my_package) is not supported",
      "families/convnext_tiny|\"class_name\": \"Sequential\"|\"class_name\": \"MyModel\"|convnext_tiny_mini_stem (MyModel) is not supported",
      "families/more_layers|\"axis\": -1}|\"axis\": 1}|softmax (Softmax): axis 1 (only the last axis, -1)",
      "families/more_layers|\"shared_axes\": [1, 2]|\"shared_axes\": [1, 4]|p_re_lu (PReLU): shared_axes [1,4] on an input of 4 axes (axes 1 to 3)",
      "families/more_layers|\"negative_slope\": 0.2}|\"negative_slope\": -0.2}|leaky_re_lu (LeakyReLU): relu negativeSlope must be finite and non-negative, got -0.2",
      "families/nasnet_mobile|\"cropping\": [[1, 0], [1, 0]]|\"cropping\": [[16, 0], [1, 0]]|cropping2d: cropping 16 rows and 1 columns leaves nothing of its 16x16x8 input",
  })
  void loadKeras_unsupportedConfig_throwsIllegalArgumentNamingIt(String fixture, String from,
      String to, String expected) throws IOException {
    Path file = withConfig(fixture, c -> c.replaceFirst(java.util.regex.Pattern.quote(from),
        java.util.regex.Matcher.quoteReplacement(to)));
    assertMentions(assertRefused(IllegalArgumentException.class, file), expected);
  }

  @Test
  void loadKeras_unsupportedLayer_messageListsTheSupportedLayers() throws IOException {
    Path file = withConfig("sequential_cnn",
        c -> c.replaceFirst("\"class_name\": \"Flatten\"", "\"class_name\": \"Lambda\""));
    assertMentions(assertRefused(IllegalArgumentException.class, file), "flatten (Lambda)",
        String.join(", ", KerasImport.SUPPORTED));
  }

  /** A deflated archive whose config.json inflates to {@code size} spaces. */
  private static byte[] bomb(int size) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(KerasFile.CONFIG_ENTRY, " ".repeat(size).getBytes(StandardCharsets.US_ASCII));
    entries.put(KerasFile.WEIGHTS_ENTRY, new byte[16]);
    return zip(entries);
  }

  /** Sets the uncompressed size that the central directory records for the first entry. */
  private static byte[] declareSize(byte[] archive, long size) {
    ByteBuffer b = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
    int cd = -1;
    for (int i = 0; i + 4 <= archive.length; i++) {
      if (b.getInt(i) == 0x02014b50) {
        cd = i;
        break;
      }
    }
    b.putInt(cd + 24, (int) size);
    return archive;
  }

  @Test
  void loadKeras_entryInflatingPastTheLimit_throwsIOException() throws IOException {
    KerasLimits limits = new KerasLimits(64, 1 << 20, 1L << 30);
    Path file = write("bomb.keras", declareSize(bomb(8 << 20), 100));
    IOException e = assertThrows(IOException.class, () -> Cnn.loadKeras(file, limits).close());
    assertMentions(e.getMessage(), file.toString(), "inflates to more than");
  }

  @Test
  void loadKeras_weightsOverTheLimit_namesTheBoundToRaiseAndItsCeiling() {
    // logits_cnn's weights take a few KiB: a 1,000-byte bound refuses them.
    KerasLimits limits = new KerasLimits(64, 1 << 20, 1000);
    Path file = KerasFixtures.path("logits_cnn.keras");
    IOException e = assertThrows(IOException.class, () -> Cnn.loadKeras(file, limits).close());
    assertMentions(e.getMessage(), file.toString(), "over the limit of 1000",
        "Cnn.loadKeras(path, new KerasLimits(...)) and a larger maxWeightsBytes, up to "
            + KerasLimits.MAX_WEIGHTS_BYTES);
  }

  @Test
  void loadKeras_entryDeclaringAHugeSize_throwsIOExceptionBeforeReading() throws IOException {
    Path file = write("declared.keras", declareSize(bomb(100), 0xFFFF_FFF0L));
    assertMentions(assertRefused(IOException.class, file), "declares");
  }

  @Test
  void loadKeras_defaultLimits_refuseAConfigOverSixteenMebibytes() throws IOException {
    Path file = write("bigconfig.keras", bomb(17 << 20));
    assertMentions(assertRefused(IOException.class, file), "config.json");
  }

  @Test
  void loadKeras_entryClimbingOutOfTheArchive_throwsIOException() throws IOException {
    Map<String, byte[]> entries = entries(KerasFixtures.path("logits_cnn.keras"));
    entries.put("../../etc/evil", new byte[] {1});
    assertMentions(assertRefused(IOException.class, write("path.keras", zip(entries))),
        "../../etc/evil");
  }

  @Test
  void loadKeras_tooManyEntries_throwsIOException() throws IOException {
    Map<String, byte[]> entries = entries(KerasFixtures.path("logits_cnn.keras"));
    for (int i = 0; i < 100; i++) {
      entries.put("extra" + i, new byte[0]);
    }
    assertMentions(assertRefused(IOException.class, write("many.keras", zip(entries))),
        "entries");
  }

  /**
   * 1,000 copies of a valid file, each with 1 to 8 random bytes replaced, are read as far as
   * Keras files go (archive, HDF5, config, every weight), each within 10 s: success, an
   * IOException or an IllegalArgumentException naming the file, nothing else. The copies that
   * read cleanly are then built into models, the first 5 of them, through Cnn.loadKeras.
   */
  @ParameterizedTest
  @ValueSource(strings = {"logits_cnn.keras", "logits_cnn.h5"})
  void loadKeras_randomByteMutations_failOnlyWithNamedIOOrArgumentErrors(String fixture)
      throws IOException {
    byte[] original = Files.readAllBytes(KerasFixtures.path(fixture));
    Random random = new Random(42);
    Path file = tmp.resolve("mutant-" + fixture);
    // The unmutated file first, outside the timeouts: the first read and build load the classes
    // and TensorFlow's native library, which takes seconds on a loaded machine and says nothing
    // about a mutant.
    Files.write(file, original);
    assertTrue(readOrRefuse(file, -1), "the original reads");
    Cnn.loadKeras(file).close();
    int read = 0;
    int built = 0;
    for (int i = 0; i < 1000; i++) {
      byte[] bytes = original.clone();
      int changes = 1 + random.nextInt(8);
      for (int j = 0; j < changes; j++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      Files.write(file, bytes);
      int mutant = i;
      boolean ok = assertTimeoutPreemptively(PER_CASE, () -> readOrRefuse(file, mutant));
      if (ok) {
        read++;
        if (built < 5) {
          built++;
          assertTimeoutPreemptively(PER_CASE, () -> {
            try (Cnn model = Cnn.loadKeras(file)) {
              assertEquals(3, model.architecture().numClasses());
            } catch (IOException | IllegalArgumentException e) {
              fail("mutant " + mutant + " read cleanly but did not load: " + e);
            }
          });
        }
      }
    }
    System.out.printf("%s: %d of 1000 mutants read cleanly, %d built%n", fixture, read, built);
  }

  private static boolean readOrRefuse(Path file, int mutant) {
    try (KerasFile keras = KerasFile.open(file, KerasLimits.DEFAULT)) {
      KerasImport.read(keras);
      return true;
    } catch (IOException | IllegalArgumentException e) {
      if (e.getMessage() == null || !e.getMessage().contains(file.toString())) {
        fail("mutant " + mutant + ": the message does not name the file: " + e);
      }
      return false;
    } catch (Throwable t) {
      throw new AssertionError("mutant " + mutant + " threw " + t, t);
    }
  }
}
