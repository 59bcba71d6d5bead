package dev.sfutriage.connectors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The SQL files of queries/, shipped in the jar. */
public final class Sql {
  private Sql() {}

  /** e.g. {@code load("postgres/read_jobs.sql")}. */
  public static String load(String name) {
    try (InputStream in = Sql.class.getResourceAsStream("/dev/sfutriage/queries/" + name)) {
      if (in == null) {
        throw new IllegalStateException("query " + name + " is not in the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read query " + name, e);
    }
  }
}
