package dev.sfutriage.report;

/**
 * report.html: the same content as report.md, as one self-contained page that opens from disk,
 * prints well and reflows into cards on a phone. Inline CSS and SVG only: no script, no external URL
 * (a Content-Security-Policy forbids both, so even a rendering bug cannot run code), no wall clock.
 * Rendered from {@link ReportView} by {@code templates/report.html.mustache}; every value from the
 * data is redacted by the view and HTML-escaped by {@link Templates#HTML}.
 */
final class HtmlReport {
  private HtmlReport() {}

  static String render(RunResult r) {
    return Templates.HTML.render("report.html", new ReportView(new ReportModel(r)));
  }

  /** Redacts, then escapes for HTML text and attribute values. */
  static String esc(String raw) {
    return Templates.HTML.escape(Redactor.redact(raw));
  }
}
