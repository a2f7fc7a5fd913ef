package org.fwprune.core.io;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes files and folders atomically: the content goes to a temporary sibling, which is renamed
 * onto the target only once complete (and, for files, synced and checked), so a reader sees the
 * old state or the new one, never a part, and a failure leaves no temporary behind.
 */
public final class AtomicFiles {

  /** Suffix of every temporary sibling, so a clean-up can recognise leftovers of a crash. */
  public static final String TEMPORARY_SUFFIX = ".tmp";

  /** Writes the content of a file to a stream. */
  @FunctionalInterface
  public interface Content {
    /** Writes everything to {@code out}; the caller closes it. */
    void writeTo(OutputStream out) throws IOException;
  }

  /** Inspects a complete temporary file before it replaces the target. */
  @FunctionalInterface
  public interface Check {
    /** Throws if {@code written} must not become the target. */
    void accept(Path written) throws IOException;
  }

  /** Fills a folder that does not exist yet. */
  @FunctionalInterface
  public interface FolderContent {
    /** Creates {@code folder} (or lets a writer create it) and everything in it. */
    void writeTo(Path folder) throws IOException;
  }

  private AtomicFiles() {}

  /** Replaces {@code target} with {@code text} in UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Replaces {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Replaces {@code target} with what {@code content} writes. */
  public static void write(Path target, Content content) throws IOException {
    write(target, content, written -> {});
  }

  /**
   * Replaces {@code target} with what {@code content} writes, provided {@code check} accepts the
   * written file; otherwise the target stays as it was and the check's exception propagates.
   */
  public static void write(Path target, Content content, Check check) throws IOException {
    Path temp = temporarySibling(target);
    try {
      // Not Files.createTempFile: its owner-only permissions would carry over to the target.
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        content.writeTo(out);
        out.flush();
        // Synced before the rename, so that a crash cannot leave a renamed but empty file.
        channel.force(true);
      }
      check.accept(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Creates the folder {@code target}, which must not exist, with what {@code content} writes into
   * a temporary sibling folder.
   *
   * @throws IOException if {@code target} exists, has no parent, or writing fails
   */
  public static void writeFolder(Path target, FolderContent content) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    if (absolute.getParent() == null) {
      throw new IOException("cannot write to the root folder " + absolute);
    }
    if (Files.exists(absolute)) {
      throw new IOException("cannot write " + absolute + ": it already exists");
    }
    Path temp = temporarySibling(absolute);
    try {
      content.writeTo(temp);
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      if (Files.exists(temp)) {
        MoreFiles.deleteRecursively(temp, RecursiveDeleteOption.ALLOW_INSECURE);
      }
    }
  }

  /** Whether {@code fileName} is the name of a temporary sibling left by a crashed write. */
  public static boolean isTemporary(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(TEMPORARY_SUFFIX);
  }

  /** A fresh hidden name next to {@code target}, its folder created if needed. */
  private static Path temporarySibling(Path target) throws IOException {
    Path dir = target.toAbsolutePath().normalize().getParent();
    Files.createDirectories(dir);
    return dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
  }
}
