package org.fwprune.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fwprune.core.io.AtomicFiles;

/**
 * Downloads a dataset's missing files as {@code NAME.gz} from its mirrors, in order, into the
 * cache: each file is checked against its MD5 before it appears there.
 */
final class MirrorDownloader implements FileSource {

  private final List<URI> mirrors;
  private final ChecksumVerifier verifier;
  private final Duration timeout;

  /** Downloads from {@code mirrors} with {@code timeout} on connecting and on each response. */
  MirrorDownloader(List<URI> mirrors, ChecksumVerifier verifier, Duration timeout) {
    this.mirrors = List.copyOf(mirrors);
    this.verifier = verifier;
    this.timeout = timeout;
  }

  @Override
  public void fetch(Set<String> missing, Path cache, Attempts attempts)
      throws InterruptedIOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    // A mirror that cannot be reached at all is not retried for the remaining files.
    Set<URI> unreachable = new LinkedHashSet<>();
    for (String name : List.copyOf(missing)) {
      for (URI mirror : mirrors) {
        if (unreachable.contains(mirror)) {
          continue;
        }
        URI uri = mirror.resolve(name + ".gz");
        try {
          AtomicFiles.write(cache.resolve(name + ".gz"), out -> {
            try (InputStream body = get(client, uri)) {
              ChecksumVerifier.copyCapped(body, out);
            }
          }, file -> verifier.verify(file, name));
          missing.remove(name);
          break;
        } catch (BadContentException e) {
          attempts.failed("download " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedIOException e) {
          throw e;
        } catch (IOException e) {
          unreachable.add(mirror);
          attempts.failed("download " + uri + ": mirror unreachable, not tried for other files ("
              + describe(e) + ")", e);
        }
      }
    }
  }

  /** Returns the body of a 200 response to GET {@code uri}. */
  private InputStream get(HttpClient client, URI uri) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while downloading " + uri);
    }
    if (response.statusCode() != 200) {
      response.body().close();
      throw new BadContentException("HTTP status " + response.statusCode());
    }
    return response.body();
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
}
