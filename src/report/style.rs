//! The shared inline style sheet and page frame of the HTML reports.
//!
//! Invariants: no external resources (system fonts only), no scripts; the page fits the
//! printable width of both A4 (210 mm) and Letter (8.5 in) with 15 mm margins; blocks marked
//! `.keep` (a criterion, a critical error, a table row) never split across pages.

use std::fmt;

use super::{APP_VERSION, SYNTHETIC_NOTICE, escape};

/// The style sheet.
pub(super) const STYLE: &str = "\
@page { size: auto; margin: 15mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #111; background: #fff; max-width: 180mm; margin: 8mm auto; padding: 0 4mm; }
h1 { font-size: 16pt; margin: 0 0 2pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 5pt; padding-bottom: 2pt; border-bottom: 1px solid #999; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; color: #333; break-after: avoid; page-break-after: avoid; }
p { margin: 3pt 0; }
.banner { font-size: 9pt; color: #7a4b00; background: #fff4dc; border: 1px solid #e0b450; padding: 3pt 6pt; margin-bottom: 8pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; font-weight: 600; }
th.num { text-align: right; }
table.facts th { width: 32%; background: #f5f5f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr, .keep { break-inside: avoid; page-break-inside: avoid; }
.score { font-size: 14pt; font-weight: bold; }
.pass { color: #1e783c; font-weight: bold; }
.fail { color: #b22222; font-weight: bold; }
.pending { color: #555555; font-style: italic; }
.partial { color: #8a5a00; font-weight: bold; }
.muted { color: #555; }
.criterion { border: 1px solid #bbb; border-left: 4px solid #999; padding: 4pt 6pt; margin: 0 0 6pt; }
.criterion.correct { border-left-color: #1e783c; }
.criterion.partial { border-left-color: #c08a00; }
.criterion.incorrect, .criterion.missing { border-left-color: #b22222; }
.criterion .head { display: flex; gap: 8pt; align-items: baseline; }
.criterion .pts { font-weight: bold; font-variant-numeric: tabular-nums; white-space: nowrap; }
.criterion .title { font-weight: 600; flex: 1; }
.criterion table { margin: 3pt 0; }
.criterion table th { width: 18%; background: #f5f5f5; }
.critical { border: 2px solid #b22222; background: #fdf0f0; padding: 4pt 6pt; margin: 0 0 6pt; }
ul.details { margin: 2pt 0 2pt 14pt; padding: 0; font-size: 9.5pt; }
.rule { font-size: 9pt; color: #444; }
code { font-size: 8.5pt; overflow-wrap: anywhere; }
footer { margin-top: 16pt; padding-top: 4pt; border-top: 1px solid #999; font-size: 8.5pt; color: #555; }
@media print {
  body { margin: 0 auto; padding: 0; max-width: none; }
  .banner, .critical, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}";

/// Opens the page: doctype, head with the title and style, and the synthetic-data banner.
pub(super) fn open_page(out: &mut fmt::Formatter<'_>, title: &str) -> fmt::Result {
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n\
         <p class=\"banner\">SYNTHETIC PATIENT DATA — NOT REAL</p>\n",
        title = escape(title)
    )
}

/// Closes the page with the footer (synthetic-data notice, app version, generation time).
pub(super) fn close_page(out: &mut fmt::Formatter<'_>, generated_at: &str) -> fmt::Result {
    write!(
        out,
        "<footer>{notice}<br>EHR Sim {APP_VERSION} · report generated {at}</footer>\n\
         </body>\n</html>\n",
        notice = escape(SYNTHETIC_NOTICE),
        at = escape(&super::display_time(generated_at))
    )
}

/// One `<tr><th>label</th><td>value</td></tr>` row of a facts table; `value_html` is already
/// escaped markup.
pub(super) fn fact_row(out: &mut fmt::Formatter<'_>, label: &str, value_html: &str) -> fmt::Result {
    writeln!(
        out,
        "<tr><th scope=\"row\">{}</th><td>{value_html}</td></tr>",
        escape(label)
    )
}
