package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.DeviceOption;
import dev.hyperkron.bench.options.OutputOption;
import dev.hyperkron.bench.paper.ClaimResult;
import dev.hyperkron.bench.paper.Claims;
import dev.hyperkron.bench.paper.PaperMachine;
import dev.hyperkron.bench.paper.PaperPlan;
import dev.hyperkron.bench.paper.PaperReport;
import dev.hyperkron.bench.paper.PaperResults;
import dev.hyperkron.bench.paper.PaperScale;
import dev.hyperkron.bench.paper.Stage;
import dev.hyperkron.bench.paper.StageRecord;
import dev.hyperkron.bench.paper.StageRunner;
import dev.hyperkron.bench.report.Table;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hyperkron paper}: every experiment of the paper, one progress bar, one report with a verdict per claim. */
@Command(name = "paper", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reproduces the paper: every experiment as a resumable stage behind one progress bar, then one "
                + "HTML report with a verdict per claim.",
                "Runs Figure 1 (top, at the methods' damping and in the automatic-damping "
                + "variant; downstream, hypercleaning with each IHVP solver), Figure 2, Figure 3, Figure 4 and "
                + "Figure 1 (bottom) when the TREC data are present, "
                + "Figure 5, meta-learning and data poisoning, each as its own command in its own folder under --out, "
                + "behind one progress bar; then judges each claim of the paper on the results (head to head at equal "
                + "wall-clock budgets) and writes report.html (self-contained: plots embedded as SVG, no scripts) and "
                + "report.md.",
                "Resumable: a stage that completed with the same arguments is not run again, an interrupted figure "
                        + "command or text-clean continues from its checkpoints and an interrupted meta-learn keeps its "
                        + "finished runs; a folder left by other arguments is moved aside.",
                "--quick (default) takes about 20 minutes on 2 cores; --full the figure commands' paper-sized runs with "
                        + "3 seeds (many hours); --smoke tiny sizes in a few minutes, to check the pipeline (its numbers "
                        + "mean nothing)."})
public final class PaperCommand implements Callable<Integer> {

    /** The scale, one of three flags. */
    static final class ScaleFlags {
        @Option(names = "--quick", description = "About 20 minutes on 2 cores (the default).")
        boolean quick;

        @Option(names = "--full", description = "The paper's sizes and 3 seeds: many hours.")
        boolean full;

        @Option(names = "--smoke", description = "Tiny sizes, a few minutes: checks the pipeline, not the paper.")
        boolean smoke;

        PaperScale scale() {
            return full ? PaperScale.FULL : smoke ? PaperScale.SMOKE : PaperScale.QUICK;
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ScaleFlags flags;

    @Option(names = "--only", split = ",", paramLabel = "STAGE", description = "Run and report only these stages: "
            + PaperPlan.FIGURE1_TOP + ", " + PaperPlan.FIGURE1_AUTO + ", " + PaperPlan.FIGURE1_DOWNSTREAM + ", "
            + PaperPlan.FIGURE2 + ", " + PaperPlan.FIGURE3
            + ", " + PaperPlan.TEXT + ", " + PaperPlan.FIGURE5 + ", " + PaperPlan.META + ", " + PaperPlan.POISON
            + " (default: all).")
    List<String> only = new ArrayList<>();

    @Option(names = "--trec", paramLabel = "DIR", description = "TREC data for Figure 4 (WRENCH layout) "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "../shared/data/trec")
    Path trec;

    @Option(names = "--report-only", description = "Run nothing: judge the claims on what the stages in --out left and "
            + "write the report.")
    boolean reportOnly;

    @Mixin
    OutputOption output;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PaperScale scale = flags == null ? PaperScale.QUICK : flags.scale();
        if (!reportOnly) {
            device.resolve(); // an unavailable device fails here, not in the first stage that uses it
        }
        PaperPlan all = PaperPlan.of(scale, trec).on(device.name());
        List<String> known = all.stages().stream().map(Stage::id).toList();
        for (String id : only) {
            if (!known.contains(id) && !id.equals(PaperPlan.TEXT)) {
                throw new UserError("unknown stage '" + id + "' in --only: use " + String.join(", ", known));
            }
        }
        PaperPlan plan = all.only(only);
        Path out = output.folder();
        Files.createDirectories(out);
        PrintWriter console = spec.commandLine().getOut();
        StageRunner runner = new StageRunner(out, console);
        double total = plan.stages().stream().mapToDouble(Stage::estimatedSeconds).sum();
        console.printf(Locale.ROOT, "Reproducing the paper at the %s scale into %s: %d stages, about %.0f minutes here"
                + "%s.%n", scale.name().toLowerCase(Locale.ROOT), out, plan.stages().size(), total / 60,
                reportOnly ? " (--report-only: nothing runs)" : "");
        plan.skipped().forEach((id, why) -> console.println("  not run here: " + id + ": " + why));
        console.flush();
        Map<String, StageRecord> records = new LinkedHashMap<>();
        List<PaperReport.StageOutcome> outcomes = new ArrayList<>();
        boolean failed = false;
        if (reportOnly) {
            for (Stage stage : plan.stages()) {
                Optional<StageRecord> last = runner.last(stage);
                last.ifPresent(r -> records.put(stage.id(), r));
                outcomes.add(new PaperReport.StageOutcome(stage, last.orElse(null)));
            }
        } else {
            try (Progress.Scope bar = Progress.scope("paper", total)) {
                for (Stage stage : plan.stages()) {
                    bar.stage(stage.id(), stage.estimatedSeconds());
                    boolean done = runner.completed(stage).isPresent();
                    StageRecord record = runner.run(stage);
                    bar.finishStage();
                    records.put(stage.id(), record);
                    outcomes.add(new PaperReport.StageOutcome(stage, record));
                    failed |= record.exitCode() != 0;
                    bar.note(console, String.format(Locale.ROOT, "  %-18s %s", stage.id(), done ? "already done, not run again"
                            : record.exitCode() == 0 ? String.format(Locale.ROOT, "done in %.0f s", record.seconds())
                            : "FAILED with exit code " + record.exitCode() + ": see " + out.resolve(stage.id())
                                    .resolve("output.txt")));
                }
            }
        }
        List<ClaimResult> claims = Claims.evaluate(new PaperResults(out, records, plan.skipped()));
        PaperReport report = new PaperReport("Hyperkron reproduces \"Efficient Bilevel Optimization with KFAC-Based "
                + "Hypergradients\"", scale, PaperMachine.describe(), claims, outcomes,
                plan.skipped(), out);
        Table table = new Table("where", "verdict", "claim");
        for (ClaimResult c : claims) {
            table.row(c.figure(), c.verdict().label(), c.id());
        }
        console.println();
        console.print(table);
        console.println("Each verdict's reason, numbers and plots are in the report.");
        for (Path p : report.write()) {
            console.println("wrote " + p);
        }
        return failed ? 1 : 0;
    }
}
