package dev.sfutriage.read;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What each reader keeps (from the rules file's {@code ingest} section) and how it corrects clocks.
 * Relevance is decided at the edge so that only LiveKit-related records reach any shuffle.
 */
public final class IngestConfig implements Serializable {
  /** Event-name globs per source ({@code livekit_*}, {@code *}). A source not listed keeps everything. */
  private final Map<String, List<String>> keepEvents;
  /** Path prefixes of backend {@code http_request} lines worth keeping. */
  private final List<String> keepHttpPaths;
  /** Device clocks within this of the server are left alone (upload delay, jitter). */
  public final long clockSkewToleranceMicros;
  /** Room-name pattern with named groups {@code seminar} and {@code session}. */
  public final String roomNamePattern;

  private transient @Nullable Pattern roomPattern;

  public IngestConfig(Map<String, List<String>> keepEvents, List<String> keepHttpPaths,
      long clockSkewToleranceMicros, String roomNamePattern) {
    this.keepEvents = Map.copyOf(keepEvents);
    this.keepHttpPaths = List.copyOf(keepHttpPaths);
    this.clockSkewToleranceMicros = clockSkewToleranceMicros;
    this.roomNamePattern = roomNamePattern;
    Pattern.compile(roomNamePattern); // fail fast on a bad pattern
  }

  /** Event-name globs per source; a source not listed keeps everything. */
  public Map<String, List<String>> keepEvents() {
    return keepEvents;
  }

  public List<String> keepHttpPaths() {
    return keepHttpPaths;
  }

  public boolean keeps(String source, String eventName) {
    List<String> globs = keepEvents.get(source);
    if (globs == null) {
      return true;
    }
    for (String g : globs) {
      if (g.equals("*") || g.equals(eventName)
          || (g.endsWith("*") && eventName.startsWith(g.substring(0, g.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  public boolean keepsHttpPath(@Nullable String path) {
    if (path == null) {
      return false;
    }
    for (String p : keepHttpPaths) {
      if (path.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  public Pattern roomPattern() {
    if (roomPattern == null) {
      roomPattern = Pattern.compile(roomNamePattern);
    }
    return roomPattern;
  }
}
