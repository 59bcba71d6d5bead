package dev.sfutriage.read;

/** Why a readable record was not used: the reasons counted under {@code filtered}. */
public final class Filters {
  /** Not about LiveKit (screen_view, /health, ...): the bulk of every export. */
  public static final String IRRELEVANT = "not_livekit";
  public static final String OUT_OF_WINDOW = "out_of_window";
  public static final String OUT_OF_SCOPE = "out_of_scope";
  /** A Cloud Logging entry with a text payload: not one of the backend's structured events. */
  public static final String UNSTRUCTURED = "unstructured_log";

  private Filters() {}
}
