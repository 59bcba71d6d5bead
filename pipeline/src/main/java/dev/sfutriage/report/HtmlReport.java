package dev.sfutriage.report;

/** report.html: placeholder until the self-contained HTML report lands. */
final class HtmlReport {
  private HtmlReport() {}

  static String render(RunResult r) {
    return "<!doctype html><meta charset=utf-8><title>sfu-triage</title><pre>"
        + MarkdownReport.render(r).replace("&", "&amp;").replace("<", "&lt;") + "</pre>";
  }
}
