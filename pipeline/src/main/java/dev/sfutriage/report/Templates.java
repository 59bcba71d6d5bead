package dev.sfutriage.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one rendering path of the human outputs (report.html/.md, timeline.html/.md): a view object
 * walked by a logic-less Mustache template (mustache.java) under {@code dev/sfutriage/report/templates}.
 * Escaping belongs to the format, not to the view or the template: every {@code {{value}}} goes
 * through the format's encoder — {@link #HTML} escapes for HTML text and attributes, {@link #MARKDOWN}
 * makes text inert in Markdown (no HTML, no table break, no link, emphasis or code span from the
 * data). The view holds values that are already redacted (one redaction point, before any encoding).
 * Triple mustaches ({@code {{{…}}}}) are used only for generated markup (CSS, SVG coordinates) and for
 * identifiers that {@link Text#plain} proved inert.
 */
enum Templates {
  HTML {
    @Override
    @Nullable String replace(String s, int k) {
      char c = s.charAt(k);
      switch (c) {
        case '&':
          return "&amp;";
        case '<':
          return "&lt;";
        case '>':
          return "&gt;";
        case '"':
          return "&quot;";
        case '\'':
          return "&#39;";
        default:
          return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? "\ufffd" : null;
      }
    }
  },
  MARKDOWN {
    /**
     * Inert Markdown text on one line: angle brackets become entities (no raw HTML), the punctuation
     * that starts a link, image, code span, emphasis or table cell is backslash-escaped, line breaks
     * become spaces (a value never ends a table row).
     */
    @Override
    @Nullable String replace(String s, int k) {
      char c = s.charAt(k);
      switch (c) {
        case '<':
          return "&lt;";
        case '>':
          return "&gt;";
        case '_':
          // Between two letters or digits an underscore can neither open nor close emphasis
          // (CommonMark's flanking rules): snake_case ids stay readable.
          boolean inWord = k > 0 && k + 1 < s.length() && Character.isLetterOrDigit(s.charAt(k - 1))
              && Character.isLetterOrDigit(s.charAt(k + 1));
          return inWord ? null : "\\_";
        case '\\':
        case '|':
        case '`':
        case '*':
        case '[':
        case ']':
          return "\\" + c;
        case '\n':
        case '\r':
        case '\t':
          return " ";
        default:
          return c < 0x20 || c == 0x7f ? "\ufffd" : null;
      }
    }

    /** A value that would start a heading, list, rule or ordered list at the beginning of a line gets it escaped. */
    @Override
    String escape(String s) {
      StringBuilder b = new StringBuilder(super.escape(s));
      char c0 = b.length() > 0 ? b.charAt(0) : ' ';
      char c1 = b.length() > 1 ? b.charAt(1) : ' ';
      if ("#-+=~".indexOf(c0) >= 0 && (Character.isWhitespace(c1) || c1 == c0)) {
        b.insert(0, '\\');
      } else if (ORDERED.matcher(b).lookingAt()) {
        int dot = 0;
        while (Character.isDigit(b.charAt(dot))) {
          dot++;
        }
        b.insert(dot, '\\');
      }
      return b.toString();
    }
  };

  private static final Pattern ORDERED = Pattern.compile("\\d{1,9}[.)](\\s|$)");
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,200}");
  private static final Pattern COMMAND = Pattern.compile("[^`<>\\r\\n]{1,2000}");
  private static final String ROOT = "dev/sfutriage/report/templates/";

  private final ConcurrentHashMap<String, Mustache> compiled = new ConcurrentHashMap<>();
  private final DefaultMustacheFactory factory = new DefaultMustacheFactory(ROOT) {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(escape(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  /** What the format writes for the character at {@code k} of {@code s}, or null to keep it. */
  abstract @Nullable String replace(String s, int k);

  /** The format's escaping of one value. */
  String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int k = 0; k < s.length(); k++) {
      String r = replace(s, k);
      if (r == null) {
        b.append(s.charAt(k));
      } else {
        b.append(r);
      }
    }
    return b.toString();
  }

  /** Renders {@code templates/<name>.mustache} (partials resolve beside it) with the view as scope. */
  String render(String name, Object view) {
    Mustache m = compiled.computeIfAbsent(name, n -> factory.compile(n + ".mustache"));
    StringWriter w = new StringWriter(64 * 1024);
    m.execute(w, view);
    return w.toString();
  }

  /**
   * A value from the data (already redacted) that a template may show as an identifier: Markdown
   * shows it as a code span when it is {@link #plain} (nothing in it can end the span or become
   * markup), else as escaped text; HTML shows {@link #toString} escaped.
   */
  static final class Text {
    final String text;
    final boolean plain;

    Text(String text) {
      this(text, PLAIN_ID.matcher(text).matches());
    }

    private Text(String text, boolean plain) {
      this.text = text;
      this.plain = plain;
    }

    /** A command line: a code span in Markdown unless it holds a backtick, an angle bracket or a line break. */
    static Text command(String text) {
      return new Text(text, COMMAND.matcher(text).matches());
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
