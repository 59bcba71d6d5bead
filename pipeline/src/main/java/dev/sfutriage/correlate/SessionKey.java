package dev.sfutriage.correlate;

import org.checkerframework.checker.nullness.qual.Nullable;

/** Keys for (seminar, session) and (seminar, user); an empty session is the seminar-level bucket. */
public final class SessionKey {
  private static final char SEP = '\u0001';

  private SessionKey() {}

  public static String of(String seminarId, @Nullable String sessionId) {
    return seminarId + SEP + (sessionId == null ? "" : sessionId);
  }

  public static String participant(String seminarId, String userId) {
    return seminarId + SEP + userId;
  }

  public static String first(String key) {
    return key.substring(0, key.indexOf(SEP));
  }

  public static @Nullable String second(String key) {
    String s = key.substring(key.indexOf(SEP) + 1);
    return s.isEmpty() ? null : s;
  }
}
