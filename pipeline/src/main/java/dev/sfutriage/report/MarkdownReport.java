package dev.sfutriage.report;

/**
 * report.md: what a support engineer reads in the morning, in a terminal or pasted into a ticket.
 * Same sections and numbers as report.html: both are {@link ReportView} walked by a template
 * ({@code templates/report.md.mustache}); every value from the data is redacted by the view and made
 * inert by {@link Templates#MARKDOWN}, so it can neither break a table nor become HTML, a link or
 * emphasis when a Markdown viewer renders it.
 */
final class MarkdownReport {
  private MarkdownReport() {}

  static String render(RunResult r) {
    return Templates.MARKDOWN.render("report.md", new ReportView(new ReportModel(r)));
  }
}
