/**
 * The HTML rendering of a {@link io.certform.report.ReportModel}: one self-contained page (styles, script and the
 * inventory's data inline, a Content-Security-Policy that forbids every remote load), its expiry timeline an inline
 * SVG. It reads no file and no state: everything it shows is in the model.
 */
package io.certform.report.html;
