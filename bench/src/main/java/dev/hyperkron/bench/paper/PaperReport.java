package dev.hyperkron.bench.paper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The paper run's report: {@code report.html}, one self-contained page (plots embedded as SVG
 * data, no scripts, no network) with the machine, a verdict table and a section per claim (the
 * claim, its verdict and reason, the numbers, the plots and the commands that made them), and
 * {@code report.md} with the same tables for README-style use.
 *
 * @param title    page title
 * @param scale    the run's scale
 * @param machine  where it ran (label to value)
 * @param claims   the evaluated claims
 * @param stages   the stages of the plan with their records (null: not run)
 * @param skipped  stages that could not run here: the reason by stage id
 * @param out      the output folder (plots are read from it; commands name it)
 */
public record PaperReport(String title, PaperScale scale, Map<String, String> machine, List<ClaimResult> claims,
                          List<StageOutcome> stages, Map<String, String> skipped, Path out) {

    /** A stage of the plan and its record, if it ran. */
    public record StageOutcome(Stage stage, StageRecord record) {
    }

    /** Writes report.html and report.md into the output folder; returns their paths. */
    public List<Path> write() throws IOException {
        Path html = out.resolve("report.html");
        Path md = out.resolve("report.md");
        Files.writeString(html, html(), StandardCharsets.UTF_8);
        Files.writeString(md, markdown(), StandardCharsets.UTF_8);
        return List.of(html, md);
    }

    /** The verdict table: one row per claim. */
    public List<List<String>> verdictRows() {
        List<List<String>> rows = new ArrayList<>();
        for (ClaimResult c : claims) {
            rows.add(List.of(c.figure(), c.claim(), c.verdict().label(), c.reason()));
        }
        return rows;
    }

    private static final List<String> VERDICT_HEADER = List.of("where", "claim", "verdict", "why");

    String html() throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:0.9em}\n")
                .append("th,td{border:1px solid #bbb;padding:0.3em 0.6em;text-align:left;vertical-align:top}\n")
                .append("th{background:#eee}\n.verdict{font-weight:bold;padding:0.1em 0.5em;border-radius:0.3em}\n")
                .append(".reproduced{background:#c8efc8}\n.partly{background:#fbe7b0}\n")
                .append(".not-reproduced{background:#f6c4c4}\n.not-run{background:#ddd}\n")
                .append("figure{margin:1em 0}\nfigure img{max-width:100%;border:1px solid #ddd}\n")
                .append("code{background:#f4f4f4;padding:0.1em 0.3em}\n</style>\n</head>\n<body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n");
        b.append("<p>Each claim of <em>Efficient Bilevel Optimization with KFAC-Based Hypergradients</em> (Liao, Dangel, "
                + "Yu, AISTATS 2026) as this run measured it with Hyperkron, at the <b>").append(scale.name()
                .toLowerCase(java.util.Locale.ROOT)).append("</b> scale. A verdict comes from head-to-head comparisons at "
                + "equal wall-clock budgets; a difference within the spread over seeds, or under 1%, counts as a tie.</p>\n");
        b.append("<h2 id=\"machine\">Machine</h2>\n");
        List<List<String>> machineRows = new ArrayList<>();
        machine.forEach((k, v) -> machineRows.add(List.of(k, v)));
        table(b, List.of("what", "value"), machineRows);
        b.append("<h2 id=\"verdicts\">Verdicts</h2>\n<table>\n<tr>");
        VERDICT_HEADER.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
        b.append("</tr>\n");
        for (ClaimResult c : claims) {
            b.append("<tr><td><a href=\"#").append(c.id()).append("\">").append(esc(c.figure())).append("</a></td><td>")
                    .append(esc(c.claim())).append("</td><td>").append(badge(c.verdict())).append("</td><td>")
                    .append(esc(c.reason())).append("</td></tr>\n");
        }
        b.append("</table>\n");
        for (ClaimResult c : claims) {
            b.append("<section id=\"").append(c.id()).append("\">\n<h2>").append(esc(c.figure())).append("</h2>\n<p><b>Claim:</b> ")
                    .append(esc(c.claim())).append("</p>\n<p>").append(badge(c.verdict())).append(' ').append(esc(c.reason()))
                    .append("</p>\n");
            if (!c.rows().isEmpty()) {
                table(b, c.header(), c.rows());
            }
            for (String plot : c.figures()) {
                b.append("<figure><img alt=\"").append(esc(plot)).append("\" src=\"data:image/svg+xml;base64,")
                        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(out.resolve(plot))))
                        .append("\"><figcaption>").append(esc(plot)).append("</figcaption></figure>\n");
            }
            b.append("<p>Made by:</p>\n<ul>\n");
            for (String id : c.stages()) {
                b.append("<li>").append(stageLine(id, true)).append("</li>\n");
            }
            b.append("</ul>\n</section>\n");
        }
        b.append("<h2 id=\"stages\">Stages</h2>\n");
        table(b, List.of("stage", "what", "command", "exit code", "seconds"), stageRows());
        if (!skipped.isEmpty()) {
            b.append("<p>Not run here:</p>\n<ul>\n");
            skipped.forEach((id, why) -> b.append("<li>").append(esc(id + ": " + why)).append("</li>\n"));
            b.append("</ul>\n");
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(title).append("\n\n");
        List<List<String>> machineRows = new ArrayList<>();
        machine.forEach((k, v) -> machineRows.add(List.of(k, v)));
        mdTable(b, List.of("what", "value"), machineRows);
        b.append("## Verdicts\n\n");
        mdTable(b, VERDICT_HEADER, verdictRows());
        for (ClaimResult c : claims) {
            b.append("## ").append(c.figure()).append("\n\n**Claim:** ").append(c.claim()).append("\n\n**")
                    .append(c.verdict().label()).append("**: ").append(c.reason()).append("\n\n");
            if (!c.rows().isEmpty()) {
                mdTable(b, c.header(), c.rows());
            }
            for (String plot : c.figures()) {
                b.append("![").append(plot).append("](").append(plot).append(")\n\n");
            }
            for (String id : c.stages()) {
                b.append("- ").append(stageLine(id, false)).append('\n');
            }
            b.append('\n');
        }
        b.append("## Stages\n\n");
        mdTable(b, List.of("stage", "what", "command", "exit code", "seconds"), stageRows());
        skipped.forEach((id, why) -> b.append("- not run here: ").append(id).append(": ").append(why).append('\n'));
        return b.toString();
    }

    private List<List<String>> stageRows() {
        List<List<String>> rows = new ArrayList<>();
        for (StageOutcome s : stages) {
            rows.add(List.of(s.stage().id(), s.stage().title(), s.stage().commandLine(out.resolve(s.stage().id())
                    .toString()), s.record() == null ? "not run" : Integer.toString(s.record().exitCode()),
                    s.record() == null ? "-" : String.format(java.util.Locale.ROOT, "%.0f", s.record().seconds())));
        }
        return rows;
    }

    private String stageLine(String id, boolean html) {
        for (StageOutcome s : stages) {
            if (s.stage().id().equals(id)) {
                String command = s.stage().commandLine(out.resolve(id).toString());
                return html ? "<code>" + esc(command) + "</code>" : "`" + command + "`";
            }
        }
        return html ? esc(id) + " (not in this run)" : id + " (not in this run)";
    }

    private static String badge(Verdict v) {
        String css = v.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return "<span class=\"verdict " + css + "\">" + esc(v.label()) + "</span>";
    }

    private static void table(StringBuilder b, List<String> header, List<List<String>> rows) {
        b.append("<table>\n<tr>");
        header.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
        b.append("</tr>\n");
        for (List<String> row : rows) {
            b.append("<tr>");
            row.forEach(cell -> b.append("<td>").append(esc(cell)).append("</td>"));
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static void mdTable(StringBuilder b, List<String> header, List<List<String>> rows) {
        b.append("| ").append(String.join(" | ", header.stream().map(PaperReport::mdCell).toList())).append(" |\n|");
        header.forEach(h -> b.append("---|"));
        b.append('\n');
        for (List<String> row : rows) {
            b.append("| ").append(String.join(" | ", row.stream().map(PaperReport::mdCell).toList())).append(" |\n");
        }
        b.append('\n');
    }

    private static String mdCell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
