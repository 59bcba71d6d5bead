package dev.sfutriage.util;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Small helpers for the hand-written coders of the pipeline's value types (no Java serialization). */
public final class Wire {
  private Wire() {}

  public static void string(DataOutputStream out, @Nullable String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s.length() > 16_000 ? s.substring(0, 16_000) : s);
    }
  }

  public static @Nullable String string(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
