package org.fwprune.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a model saved by today's library into one as an older version wrote it, for the tests
 * that files from before an option existed still load.
 */
public final class OlderModelFiles {
  private OlderModelFiles() {}

  /** Removes {@code fields} from every layer spec in the saved model folder {@code dir}. */
  public static void removeSpecFields(Path dir, String... fields) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path file = dir.resolve("model.json");
    ObjectNode manifest = (ObjectNode) json.readTree(file.toFile());
    for (JsonNode node : manifest.get("architecture").get("nodes")) {
      ((ObjectNode) node.get("spec")).remove(List.of(fields));
    }
    json.writeValue(file.toFile(), manifest);
  }
}
