package org.fwprune.examples.study;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import org.fwprune.core.io.AtomicFiles;

/**
 * Reads and writes the studies' JSON files (run descriptions, summaries): snake_case names,
 * indented.
 */
public final class Json {

  private Json() {}

  /** A new mapper with this module's conventions. */
  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Replaces {@code file} atomically with {@code value} as JSON. */
  public static void write(Path file, Object value) throws IOException {
    ObjectMapper mapper = mapper();
    AtomicFiles.writeString(file, mapper.writeValueAsString(value) + "\n");
  }

  /** Reads {@code file} as a {@code type}. */
  public static <T> T read(Path file, Class<T> type) throws IOException {
    return mapper().readValue(file.toFile(), type);
  }
}
