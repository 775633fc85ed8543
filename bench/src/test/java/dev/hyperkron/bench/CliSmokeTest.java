package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command answers --help, runs on small inputs, and turns bad input into a one-line error with exit code 2. */
class CliSmokeTest {

    @Test
    void everyCommandAnswersHelp() {
        Set<String> commands = new CommandLine(new HyperkronCli()).getSubcommands().keySet();
        assertTrue(commands.containsAll(List.of("demo", "hyperclean", "ihvp-tradeoff", "kfac-memory", "bench-autodiff",
                "bench-training", "bench-bilevel")), commands.toString());
        for (String command : commands) {
            CliRun o = CliRun.of(command, "--help");
            assertEquals(0, o.code(), command + " --help: " + o.err());
            assertTrue(o.out().contains("Usage: hyperkron " + command), command + " --help printed: " + o.out());
        }
        assertTrue(CliRun.of("--help").out().contains("Usage: hyperkron"));
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().contains("hyperkron"), version.out());
    }

    @Test
    void badArgumentsGiveOneLineAndExitCodeTwo() {
        String[][] bad = {
            {"hyperclean", "--model", "transformer"},
            {"hyperclean", "--method", "magic"},
            {"hyperclean", "--steps", "2", "--seconds", "1"},
            {"hyperclean", "--noise", "1.5", "--steps", "1"},
            {"hyperclean", "--steps", "0"},
            {"hyperclean", "--no-such-option"},
            {"hyperclean", "--steps", "two"},
            {"hyperclean", "--method", "aid-kfac,one-step,aid-kfac", "--steps", "1"},
            {"hyperclean", "--inner-optimizer", "rmsprop", "--steps", "1"},
            {"hyperclean", "--val-size", "0", "--steps", "1"},
            {"hyperclean", "--method", "itd-truncated", "--truncation", "11", "--steps", "1"},
            {"hyperclean", "--device", "tpu", "--steps", "1"},
            {"hyperclean", "--device", "cuda", "--steps", "1"},
            {"bench-autodiff", "--device", "cuda:0"},
            {"bench-transformer", "--device", "tpu"},
            {"demo", "--seconds", "-1"},
            {"ihvp-tradeoff", "--models", "transformer"},
            {"ihvp-tradeoff", "--max-iterations", "0"},
            {"ihvp-tradeoff", "--damping", "-1"},
            {"kfac-memory", "--batch", "0"},
            {"bench-autodiff", "--clock", "moon"},
            {"bench-autodiff", "--reps", "0"},
            {"bench-training", "--threads", "0"},
            {"bench-bilevel", "--steps", "0"},
            {"bench-bilevel", "--method", "one-step,one-step"},
            {"nonsense"},
        };
        for (String[] args : bad) {
            CliRun o = CliRun.of(args);
            assertEquals(2, o.code(), String.join(" ", args) + " -> " + o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line expected: " + o.err());
        }
    }

    @Test
    void everyOptionIsCheckedBeforeTheRunStartsAndNamedWithItsValue(@TempDir Path dir) {
        String[][] bad = {
            {"--inner-lr=-0.1"}, {"--inner-steps=0"}, {"--hidden=0"}, {"--eval-every=-1"}, {"--mc-samples=0"},
            {"--neumann-alpha=0"}, {"--weight-decay=-1"}, {"--damping=NaN"}, {"--damping=-0.0005"}, {"--iterations=0"},
            {"--truncation=0"}, {"--outer-lr=-5"}, {"--outer-lr=NaN"}, {"--test-size=-5"}, {"--batch-size=-1"},
            {"--warmup-steps=-1"}, {"--checkpoint-every=-1"}, {"--threads=100000"}, {"--train-size=0"},
            {"--noise=NaN"}, {"--out="}, {"--tracking-rate=0"}, {"--tracking-steps=0"}, {"--bome-eta=-1"},
            {"--sama-radius=0"}, {"--f2sa-multiplier=10,1,5"},
        };
        for (String[] option : bad) {
            String[] args = {"hyperclean", "--model", "linear", "--steps", "1",
                "--out", dir.toString(), option[0]};
            CliRun o = CliRun.of(args);
            String name = option[0].substring(0, option[0].indexOf('='));
            String value = option[0].substring(option[0].indexOf('=') + 1);
            assertEquals(2, o.code(), String.join(" ", args) + " -> " + o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line expected: " + o.err());
            assertTrue(o.err().contains(name) && o.err().contains(value), option[0] + " -> " + o.err());
        }
        String[][] perf = {
            {"hyperclean", "--seconds", "Infinity"},
            {"bench-training", "--threads", "100000"},
            {"bench-bilevel", "--threads", "100000"},
            {"bench-bilevel", "--damping", "-1"},
            {"ihvp-tradeoff", "--lr", "0"},
            {"ihvp-tradeoff", "--hidden", "0"},
            {"demo", "--noise", "1"},
        };
        for (String[] args : perf) {
            CliRun o = CliRun.of(args);
            assertEquals(2, o.code(), String.join(" ", args) + " -> " + o.err());
            assertTrue(o.err().contains(args[1]) && o.err().contains(args[2]), String.join(" ", args) + " -> " + o.err());
        }
    }

    @Test
    void aBarelyDampedKfacIsWarnedAboutBeforeTheRun(@TempDir Path dir) {
        CliRun o = CliRun.of("hyperclean", "--model", "linear", "--method", "aid-kfac", "--damping", "1e-12",
                "--weight-decay", "0", "--steps", "1", "--warmup-steps", "0", "--train-size", "200", "--val-size", "100",
                "--out", dir.toString());
        assertTrue(o.err().contains("warning: KFAC's damping is 1.00e-12") && o.err().contains("1e+12 times"), o.err());
        CliRun defaults = CliRun.of("hyperclean", "--model", "linear", "--method", "aid-kfac", "--steps", "1",
                "--warmup-steps", "0", "--train-size", "200", "--val-size", "100", "--out", dir.resolve("d").toString());
        assertFalse(defaults.err().contains("warning: KFAC"), defaults.err());
    }

    @Test
    void anExactSolveTooLargeForMemoryIsRefusedBeforeTheRun() {
        CliRun o = CliRun.of("hyperclean", "--model", "mlp", "--hidden", "700", "--method", "aid-exact", "--steps", "1");
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line expected: " + o.err());
        assertTrue(o.err().contains("--method aid-exact") && o.err().contains("52510 parameters")
                && o.err().contains("GB"), o.err());
    }

    @Test
    void aMissingDataSetSaysWhereItWasLookedForAndHowToGetIt() {
        CliRun o = CliRun.of("hyperclean", "--data", "idx:/no/such/dir", "--steps", "1");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("/no/such/dir") && o.err().contains("train/t10k"), o.err());
        CliRun c = CliRun.of("hyperclean", "--data", "cifar:/no/cifar", "--steps", "1");
        assertTrue(c.err().contains("/no/cifar") && c.err().contains("binary version"), c.err());
    }

    @Test
    void hypercleanRunsSeveralMethodsAndWritesItsResults(@TempDir Path dir) {
        CliRun o = CliRun.of("hyperclean", "--model", "linear", "--method", "aid-kfac,aid-cg,one-step,baseline",
                "--steps", "2", "--eval-every", "1", "--out", dir.toString(), "--checkpoint-every", "1");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("AID-KFAC") && o.out().contains("clean F1"), o.out());
        for (String file : new String[] {"results.csv", "results.json", "history.csv", "test-loss-vs-time-linear.svg",
                "test-loss-vs-time-linear.png", "checkpoints/AID_KFAC/checkpoint.safetensors"}) {
            assertTrue(Files.exists(dir.resolve(file)), file + " missing");
        }
        CliRun resumed = CliRun.of("hyperclean", "--model", "linear", "--method", "aid-kfac", "--steps", "3",
                "--out", dir.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
    }

    /** Issue 12's algorithms run from the command line like the rest, and a stateful one resumes. */
    @Test
    void hypercleanRunsTheAlgorithmZoo(@TempDir Path dir) {
        CliRun o = CliRun.of("hyperclean", "--model", "linear", "--method", "soba,soba-kfac,amigo,amigo-kfac,bome,f2sa,sama",
                "--steps", "2", "--train-size", "300", "--val-size", "100", "--out", dir.toString(), "--checkpoint-every", "1");
        assertEquals(0, o.code(), o.err());
        for (String name : new String[] {"SOBA", "SOBA+KFAC", "AmIGO", "AmIGO+KFAC", "BOME", "F2SA", "SAMA"}) {
            assertTrue(o.out().contains(name), name + " missing in " + o.out());
        }
        CliRun resumed = CliRun.of("hyperclean", "--model", "linear", "--method", "amigo", "--steps", "3",
                "--train-size", "300", "--val-size", "100", "--out", dir.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue((resumed.out() + resumed.err()).contains("AmIGO: resumed from step 2 of 3"), resumed.out() + resumed.err());
    }

    @Test
    void hypercleanRunsAndResumesWithAdamAtBothLevels(@TempDir Path dir) {
        String[] common = {"hyperclean", "--model", "linear", "--method", "aid-kfac", "--inner-optimizer", "adam",
            "--inner-lr", "0.01", "--outer-optimizer", "adam", "--out", dir.toString(), "--checkpoint-every", "1"};
        CliRun first = CliRun.of(concat(common, "--steps", "2"));
        assertEquals(0, first.code(), first.err());
        assertTrue(Files.exists(dir.resolve("checkpoints/AID_KFAC/checkpoint.safetensors")));
        CliRun resumed = CliRun.of(concat(common, "--steps", "3", "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
    }

    @Test
    void resumeSaysWhereItContinuesAndRefusesOtherSettingsNamingThem(@TempDir Path dir) {
        String[] common = {"hyperclean", "--method", "one-step", "--warmup-steps", "0", "--train-size", "200",
            "--val-size", "100", "--out", dir.toString()};
        assertEquals(0, CliRun.of(concat(common, "--model", "linear", "--steps", "2")).code());
        CliRun other = CliRun.of(concat(common, "--model", "linear", "--steps", "3", "--resume", "--seed", "2",
                "--noise", "0.3"));
        assertEquals(2, other.code(), other.err());
        assertEquals(1, other.err().strip().lines().count(), "one line expected: " + other.err());
        assertTrue(other.err().contains("--noise 0.45 (now 0.3)") && other.err().contains("--seed 1 (now 2)")
                && other.err().contains("--steps"), other.err());
        CliRun model = CliRun.of(concat(common, "--steps", "3", "--resume", "--model", "mlp"));
        assertEquals(2, model.code(), model.err());
        assertTrue(model.err().contains("--model linear (now mlp)"), model.err());
        CliRun resumed = CliRun.of(concat(common, "--model", "linear", "--steps", "3", "--resume", "--eval-every", "1"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("one-step: resumed from step 2 of 3"), resumed.err());
        CliRun finished = CliRun.of(concat(common, "--model", "linear", "--steps", "3", "--resume"));
        assertEquals(0, finished.code(), finished.err());
        assertTrue(finished.err().contains("one-step: already finished: the checkpoint is at step 3 of 3"), finished.err());
    }

    @Test
    void theOutputFolderIsCheckedBeforeTheRunAndNeverWrittenThroughSymbolicLinks(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRun onFile = CliRun.of("hyperclean", "--model", "linear", "--steps", "1", "--out", file.toString());
        assertEquals(2, onFile.code(), onFile.err());
        assertTrue(onFile.err().contains("is a file, not a folder"), onFile.err());
        CliRun below = CliRun.of("hyperclean", "--model", "linear", "--steps", "1", "--out", file.resolve("sub").toString());
        assertEquals(2, below.code(), below.err());
        assertTrue(below.err().contains("cannot be created: " + file + " is a file"), below.err());
        Path out = Files.createDirectories(dir.resolve("out"));
        Path precious = Files.writeString(dir.resolve("precious.csv"), "keep me");
        Files.createSymbolicLink(out.resolve("results.csv"), precious);
        CliRun linked = CliRun.of("hyperclean", "--model", "linear", "--method", "one-step", "--steps", "1",
                "--warmup-steps", "0", "--train-size", "200", "--val-size", "100", "--out", out.toString());
        assertEquals(1, linked.code(), linked.err());
        assertTrue(linked.err().contains("symbolic link"), linked.err());
        assertEquals("keep me", Files.readString(precious));
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void demoRunsWithATinyBudget(@TempDir Path dir) {
        CliRun o = CliRun.of("demo", "--seconds", "0.2", "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("AID-KFAC") && o.out().contains("AID-CG(10)") && o.out().contains("AID-Neumann(10)")
                && o.out().contains("one-step"), o.out());
        assertTrue(Files.exists(dir.resolve("test-loss-vs-time-mlp_64_.png")));
    }

    @Test
    void ihvpTradeoffRunsOnATinyModelAndWritesTablesAndPlots(@TempDir Path dir) {
        CliRun o = CliRun.of("ihvp-tradeoff", "--models", "mlp", "--hidden", "4", "--train-size", "120", "--val-size", "40",
                "--train-steps", "5", "--batch", "32", "--max-iterations", "3", "--pcg-iterations", "2", "--repeats", "1",
                "--warmup", "0", "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("KFAC type-2, heuristic") && o.out().contains("cos 0.9"), o.out());
        for (String file : new String[] {"tradeoff.csv", "tradeoff.json", "cosine-vs-time-mlp_4_.svg", "cosine-vs-time-mlp_4_.png"}) {
            assertTrue(Files.exists(dir.resolve(file)), file + " missing");
        }
    }

    @Test
    void kfacMemoryPrintsOneRowPerModel() {
        CliRun o = CliRun.of("kfac-memory", "--batch", "4");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("mlp 784-256-10") && o.out().contains("203530") && o.out().contains("lenet 1x28x28"),
                o.out());
    }

    @Test
    void autodiffAndTrainingBenchmarksRunWithFewRepetitions() {
        CliRun autodiff = CliRun.of("bench-autodiff", "--threads", "1", "--reps", "1", "--warmup-runs", "0",
                "--warmup-seconds", "0", "--chain", "10", "--tsv");
        assertEquals(0, autodiff.code(), autodiff.err());
        assertTrue(autodiff.out().contains("mlp.hvp\t1\t") && autodiff.out().contains("add1.record\t1\t"), autodiff.out());
        CliRun training = CliRun.of("bench-training", "--threads", "1", "--reps", "1", "--warmup-runs", "0",
                "--warmup-seconds", "0");
        assertEquals(0, training.code(), training.err());
        assertTrue(training.out().contains("One training step"), training.out());
    }
}
