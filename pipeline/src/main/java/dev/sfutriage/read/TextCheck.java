package dev.sfutriage.read;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Looks at the first bytes of a file before it is read as UTF-8 text: a UTF-16/UTF-32 file (with a
 * byte-order mark or the NUL-between-characters pattern), a compressed file without its {@code .gz}
 * name, or a binary file is ONE dead letter naming what the file is, not one letter per "line".
 */
final class TextCheck {
  /** How much of the start of a file is looked at. */
  static final int SNIFF_BYTES = 4096;
  /** More control bytes than this share of the sample (besides tab, CR, LF, FF, ESC) is binary. */
  private static final double CONTROL_SHARE = 0.10;

  private TextCheck() {}

  /**
   * The file as a stream that can be read from its start, or null when it is not UTF-8 text: then
   * the whole file was one dead letter of {@code sink} naming what it is.
   */
  static <T> @Nullable BufferedInputStream open(String fileName, InputStream stream, RecordSink<T> sink) throws IOException {
    BufferedInputStream in = buffered(stream);
    String notText = reason(in);
    if (notText != null) {
      sink.deadLetter(fileName + ":1", notText, "");
      return null;
    }
    return in;
  }

  /** A stream whose first {@link #SNIFF_BYTES} can be looked at with {@link #reason} and then re-read. */
  static BufferedInputStream buffered(InputStream in) {
    return in instanceof BufferedInputStream ? (BufferedInputStream) in : new BufferedInputStream(in, 64 * 1024);
  }

  /** Why the file is not UTF-8 text, or null when it may be; the stream is left at its start. */
  static @Nullable String reason(BufferedInputStream in) throws IOException {
    in.mark(SNIFF_BYTES);
    byte[] head = new byte[SNIFF_BYTES];
    int n = 0;
    int r;
    while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
      n += r;
    }
    in.reset();
    return reason(head, n);
  }

  static @Nullable String reason(byte[] b, int n) {
    if (n >= 4 && u(b[0]) == 0xFF && u(b[1]) == 0xFE && b[2] == 0 && b[3] == 0
        || n >= 4 && b[0] == 0 && b[1] == 0 && u(b[2]) == 0xFE && u(b[3]) == 0xFF) {
      return "file is UTF-32 (byte-order mark), not UTF-8: re-export it as UTF-8";
    }
    if (n >= 2 && (u(b[0]) == 0xFF && u(b[1]) == 0xFE || u(b[0]) == 0xFE && u(b[1]) == 0xFF)) {
      return "file is UTF-16" + (u(b[0]) == 0xFF ? "LE" : "BE") + " (byte-order mark), not UTF-8: re-export it as UTF-8";
    }
    if (n >= 2 && u(b[0]) == 0x1F && u(b[1]) == 0x8B) {
      return "file is gzip-compressed but its name does not end in .gz";
    }
    int nulEven = 0;
    int nulOdd = 0;
    int control = 0;
    for (int i = 0; i < n; i++) {
      int c = u(b[i]);
      if (c == 0) {
        if (i % 2 == 0) {
          nulEven++;
        } else {
          nulOdd++;
        }
      } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B || c == 0x7F) {
        control++;
      }
    }
    int nul = nulEven + nulOdd;
    if (nul * 4 >= n && n >= 4 && (nulOdd >= nul * 9 / 10 || nulEven >= nul * 9 / 10)) {
      return "file is UTF-16" + (nulOdd > nulEven ? "LE" : "BE")
          + " without a byte-order mark (NUL bytes between the characters), not UTF-8: re-export it as UTF-8";
    }
    if (nul > 0 || control > n * CONTROL_SHARE) {
      return String.format(Locale.ROOT, "binary file, not text: %d NUL and %d other control bytes in the first %d",
          nul, control, n);
    }
    return null;
  }

  private static int u(byte x) {
    return x & 0xFF;
  }
}
