package dev.hyperkron.bench.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bench.CliRun;
import dev.hyperkron.bench.experiments.text.TinyTrec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands with --device, on core's simulated device (registered as "sim" for the tests):
 * hyperclean's, text-clean's, poison's and a figure's results equal the host's to the last
 * digit, a checkpoint written on the device resumes, and the benchmarks run there.
 */
class DeviceCommandsTest {

    @Test
    void hypercleanOnADeviceGivesTheHostsResultsAndResumes(@TempDir Path dir) throws IOException {
        String[] common = {"hyperclean", "--model", "mlp", "--hidden", "16", "--method", "aid-kfac,aid-cg", "--steps", "2",
                "--train-size", "300", "--val-size", "100", "--warmup-steps", "0", "--checkpoint-every", "1"};
        runsAsOnTheHost(common, dir);
        assertTrue(SimulatedDeviceProvider.DEVICE.solves() > 0, "KFAC's factors were inverted on the device");
        CliRun resumed = CliRun.of("hyperclean", "--model", "mlp", "--hidden", "16", "--method", "aid-kfac", "--steps", "3",
                "--train-size", "300", "--val-size", "100", "--warmup-steps", "0", "--device", "sim",
                "--out", dir.resolve("sim").toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
    }

    @Test
    void textCleanOnADeviceGivesTheHostsResults(@TempDir Path dir) throws IOException {
        Path data = TinyTrec.write(Files.createDirectory(dir.resolve("trec")), 24, 12, 12);
        String[] common = {"text-clean", "--data", data.toString(), "--layers", "1", "--method",
            "aid-kfac,valid+noisy", "--steps", "2", "--inner-steps", "1", "--batch-size", "8", "--eval-every", "1",
            "--warmup-steps", "0"};
        long uploadsBefore = SimulatedDeviceProvider.DEVICE.uploads();
        runsAsOnTheHost(common, dir);
        assertTrue(SimulatedDeviceProvider.DEVICE.uploads() > uploadsBefore, "the encoder and the states went to the device");
    }

    @Test
    void poisonOnADeviceGivesTheHostsResults(@TempDir Path dir) throws IOException {
        String[] common = {"poison", "--train-size", "120", "--val-size", "40", "--test-size", "60", "--budget", "0.05",
            "--method", "aid-kfac", "--batch-size", "32", "--steps", "2", "--inner-steps", "3", "--warmup-steps", "0",
            "--defend", "--defend-steps", "2", "--learn-labels"};
        runsAsOnTheHost(common, dir);
    }

    @Test
    void aFigureOnADeviceGivesTheHostsResults(@TempDir Path dir) throws IOException {
        runsAsOnTheHost(new String[] {"figure2", "--train-size", "200", "--val-size", "100", "--test-size", "200",
            "--steps", "2", "--eval-every", "1", "--warmup-steps", "0", "--data", "digits", "--hidden", "16",
            "--method", "aid-kfac,aid-cg,valid-only"}, dir);
    }

    @Test
    void aidExactOnADeviceIsRefusedWithTheReason() {
        for (String command : new String[] {"hyperclean", "figure2"}) {
            CliRun o = CliRun.of(command, "--method", "aid-exact", "--device", "sim", "--steps", "1");
            assertEquals(2, o.code(), o.err());
            assertTrue(o.err().contains("aid-exact builds the inner Hessian densely on the host"), o.err());
        }
    }

    @Test
    void anUnknownDeviceStopsThePaperBeforeItsFirstStage(@TempDir Path dir) {
        CliRun o = CliRun.of("paper", "--smoke", "--device", "tpu", "--out", dir.toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--device"), o.err());
        assertTrue(!o.out().contains("Reproducing"), o.out());
    }

    @Test
    void theBenchmarksRunOnADevice(@TempDir Path dir) {
        CliRun autodiff = CliRun.of("bench-autodiff", "--device", "sim", "--threads", "1", "--reps", "1", "--warmup-runs",
                "0", "--warmup-seconds", "0", "--chain", "10", "--tsv");
        assertEquals(0, autodiff.code(), autodiff.err());
        assertTrue(autodiff.out().contains("mlp.hvp"), autodiff.out());
        CliRun bilevel = CliRun.of("bench-bilevel", "--device", "sim", "--data", "digits", "--method", "aid-kfac",
                "--threads", "1", "--hidden", "8", "--batch-size", "32", "--train-size", "64", "--val-size", "32",
                "--inner-steps", "1", "--warmup", "0", "--steps", "1", "--out", dir.toString());
        assertEquals(0, bilevel.code(), bilevel.err());
        assertTrue(bilevel.out().contains("F32 on sim:0"), bilevel.out());
        CliRun training = CliRun.of("bench-training", "--device", "sim", "--threads", "1", "--reps", "1",
                "--warmup-runs", "0", "--warmup-seconds", "0");
        assertEquals(0, training.code(), training.err());
        assertTrue(training.out().contains("F32 on sim:0"), training.out());
    }

    /**
     * Runs the command on the host into dir/cpu and with --device sim into dir/sim: both succeed,
     * the second says it ran on the device, and its results.csv equals the host's but for times.
     */
    private static void runsAsOnTheHost(String[] command, Path dir) throws IOException {
        CliRun host = CliRun.of(concat(command, "--out", dir.resolve("cpu").toString()));
        assertEquals(0, host.code(), host.err());
        CliRun sim = CliRun.of(concat(command, "--device", "sim", "--out", dir.resolve("sim").toString()));
        assertEquals(0, sim.code(), sim.err());
        assertTrue(sim.out().contains(" on sim:0"), sim.out());
        assertEquals(withoutTimes(dir.resolve("cpu/results.csv")), withoutTimes(dir.resolve("sim/results.csv")));
    }

    /** The CSV's lines with the columns whose names mention seconds or time left out. */
    private static List<String> withoutTimes(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < header.length; i++) {
                String name = header[i].toLowerCase(java.util.Locale.ROOT);
                if (!name.contains("second") && !name.contains("time") && !name.contains("ms")) {
                    sb.append(cells[i]).append(',');
                }
            }
            kept.add(sb.toString());
        }
        return kept;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
