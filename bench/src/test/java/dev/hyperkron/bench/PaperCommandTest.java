package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperkron paper} end to end at the smoke scale on a subset of the stages: the report
 * exists with every claim, its references resolve, a second run re-runs nothing, and the page
 * renders in headless Chromium with every plot decoded (skipped where Chromium is not installed).
 */
class PaperCommandTest {
    private static final String STAGES = "figure1-top,figure1-top-auto,figure1-downstream,figure2,meta-learning,poisoning";

    @TempDir
    static Path out;

    private static CliRun first;
    private static String html;

    @BeforeAll
    static void runTheSmokePaper() throws IOException {
        first = CliRun.of("paper", "--smoke", "--only", STAGES, "--out", out.toString());
        html = Files.readString(out.resolve("report.html"));
    }

    @Test
    void theReportHasEveryClaimAndEveryPlotAndNoReferenceOutsideItself() throws IOException {
        assertEquals(0, first.code(), first.out() + first.err());
        for (String stage : STAGES.split(",")) {
            assertTrue(Files.isRegularFile(out.resolve(stage).resolve("stage.json")), stage);
        }
        String md = Files.readString(out.resolve("report.md"));
        for (String where : List.of("Figure 1 (top)", "Figure 1 (top, downstream)", "Figure 1 (downstream)",
                "Figure 1 (bottom)", "Figure 2 (left)",
                "Figure 2 (right)", "Figure 3", "Figure 4", "Figure 5", "Meta-learning experiments",
                "AI-safety experiments (data poisoning)")) {
            assertTrue(html.contains("<h2>" + where + "</h2>"), where);
            assertTrue(md.contains("## " + where), where);
        }
        assertTrue(html.contains("not run") && html.contains("was not run (see --only)"), "Figure 4's stage was left out");
        long plots = Pattern.compile("!\\[").matcher(md).results().count();
        assertTrue(plots >= 8, "plots in the report: " + plots);
        assertEquals(plots, count(html, "<img "), "the HTML embeds every plot the Markdown names");
        assertEquals(plots, count(html, "src=\"data:image/svg+xml;base64,"), "every plot is embedded");
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"),
                "self-contained, no scripts");
        Matcher anchors = Pattern.compile("href=\"#([^\"]+)\"").matcher(html);
        while (anchors.find()) {
            assertTrue(html.contains("id=\"" + anchors.group(1) + "\""), "dangling #" + anchors.group(1));
        }
        for (String svg : Pattern.compile("\\]\\(([^)]+\\.svg)\\)").matcher(md).results().map(m -> m.group(1)).toList()) {
            assertTrue(Files.isRegularFile(out.resolve(svg)), svg);
        }
    }

    @Test
    void aSecondRunRunsNothingAgainAndReportsTheSame() throws IOException {
        String before = Files.readString(out.resolve("report.md"));
        CliRun again = CliRun.of("paper", "--smoke", "--only", STAGES, "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(STAGES.split(",").length, count(again.out(), "already done, not run again"), again.out());
        assertEquals(verdicts(before), verdicts(Files.readString(out.resolve("report.md"))));
        CliRun bad = CliRun.of("paper", "--only", "figure9", "--out", out.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown stage 'figure9'"), bad.err());
    }

    @Test
    void itRendersInHeadlessChromiumWithEveryPlotDecoded() throws Exception {
        Optional<Path> chromium = Stream.of("chromium", "chromium-browser", "google-chrome")
                .flatMap(name -> Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, name)))
                .filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(chromium.isPresent(), "no Chromium on PATH (.ci/run installs Debian's chromium where it "
                + "can): the report was checked without a browser");
        Path checked = out.resolve("checked.html");
        Files.writeString(checked, html.replace("</body>", "<script>window.addEventListener('load', () => {"
                + "for (const img of document.images) img.setAttribute('data-decoded', img.complete && img.naturalWidth > 0 "
                + "? 'yes' : 'no'); document.body.setAttribute('data-checked', 'yes');});</script></body>"));
        String dom = browser(chromium.get(), "--dump-dom", checked);
        assertTrue(dom.contains("data-checked=\"yes\""), "the page loaded: " + dom.substring(0, Math.min(500, dom.length())));
        assertEquals(count(html, "<img "), count(dom, "data-decoded=\"yes\""), "every plot decoded");
        assertEquals(0, count(dom, "data-decoded=\"no\""));
        assertEquals(count(html, "<table>"), count(dom, "<table>"), "every table rendered");
        Path screenshot = Path.of("target", "paper-report.png").toAbsolutePath();
        browser(chromium.get(), "--screenshot=" + screenshot, out.resolve("report.html"));
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot to look at: " + screenshot);
    }

    private static String browser(Path chromium, String action, Path page) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--window-size=1200,3000", "--virtual-time-budget=10000", action,
                page.toUri().toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command));
        return new String(stdout, StandardCharsets.UTF_8);
    }

    private static List<String> verdicts(String md) {
        return md.lines().filter(l -> l.startsWith("| Figure") || l.startsWith("| Meta") || l.startsWith("| AI-safety"))
                .map(l -> l.split(" \\| ")[2]).toList();
    }

    private static long count(String text, String what) {
        return Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
    }
}
