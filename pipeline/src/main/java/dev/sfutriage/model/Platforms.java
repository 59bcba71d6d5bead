package dev.sfutriage.model;

import java.util.Locale;

/** One spelling for platforms: exports say ANDROID/IOS/WEB, tickets say "iOS" or "android". */
public final class Platforms {
  private Platforms() {}

  public static String normalize(String raw) {
    String p = raw.trim().toUpperCase(Locale.ROOT);
    switch (p) {
      case "IPHONE":
      case "IPAD":
      case "IPADOS":
        return "IOS";
      case "BROWSER":
        return "WEB";
      default:
        return p;
    }
  }
}
