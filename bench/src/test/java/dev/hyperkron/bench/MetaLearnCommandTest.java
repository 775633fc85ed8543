package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meta-learn command on a few meta-steps of tiny tasks: table, files, every task kind, bad options. */
class MetaLearnCommandTest {
    private static final String[] SMALL = {"--meta-steps", "3", "--test-tasks", "4", "--eval-points", "2",
        "--warmup-steps", "0", "--inner-steps", "2", "--meta-batch", "2", "--threads", "1"};

    private static CliRun run(Path out, String... more) {
        List<String> all = new ArrayList<>(List.of("meta-learn"));
        all.addAll(List.of(SMALL));
        all.addAll(List.of("--out", out.toString()));
        all.addAll(List.of(more));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void classificationOnDigitsRunsEveryMethodAndWritesEveryFile(@TempDir Path dir) throws IOException {
        CliRun o = run(dir, "--data", "digits", "--hidden", "8");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("3-way 1-shot classification on digits"), o.out());
        for (String row : List.of("iMAML-KFAC", "iMAML-CG(5)", "FOMAML", "MAML", "meta-test accuracy")) {
            assertTrue(o.out().contains(row), o.out());
        }
        for (String f : List.of("results.csv", "results.json", "meta-learn-vs-time.png", "meta-learn-vs-time.svg")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(4, json.get("runs").size());
        JsonNode first = json.get("runs").get(0);
        assertEquals(3, first.get("metaSteps").asInt());
        // evaluations at step 0, at the two evaluation points (steps 2 and 3 of 3)
        assertEquals(List.of(0, 2, 3), first.get("curve").findValues("step").stream().map(JsonNode::asInt).toList());
        // 4 methods x 3 evaluations, plus the header
        assertEquals(13, Files.readAllLines(dir.resolve("results.csv")).size());
    }

    @Test
    void resumeReadsFinishedRunsBackAndRefusesOtherSettings(@TempDir Path dir) throws IOException {
        CliRun first = run(dir, "--data", "digits", "--hidden", "8", "--method", "imaml-kfac,fomaml");
        assertEquals(0, first.code(), first.err());
        String before = Files.readString(dir.resolve("results.csv"));
        CliRun again = run(dir, "--data", "digits", "--hidden", "8", "--method", "imaml-kfac,fomaml,maml", "--resume");
        assertEquals(0, again.code(), again.err());
        assertEquals(2, again.err().split("already finished, read back", -1).length - 1, again.err());
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        assertTrue(lines.containsAll(before.lines().toList()), "the finished runs come back as they were");
        assertEquals(1 + 3 * 3, lines.size(), "MAML ran too");
        CliRun other = run(dir, "--data", "digits", "--hidden", "8", "--method", "fomaml", "--lam", "2", "--resume");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("cannot resume from") && other.err().contains("other settings"), other.err());
    }

    @Test
    void sinusoidRegressionReportsTheMetaTestMse(@TempDir Path dir) {
        CliRun o = run(dir, "--task", "sinusoid", "--method", "imaml-kfac,maml", "--shots", "5", "--query", "5");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("sinusoid regression, 5 support and 5 query points"), o.out());
        assertTrue(o.out().contains("meta-test MSE"), o.out());
    }

    @Test
    void omniglotFoldersAreReadAndSplitIntoBackgroundAndEvaluationTasks(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("omniglot");
        for (String half : List.of("images_background", "images_evaluation")) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 2; i++) {
                    png(data.resolve(half).resolve("Alphabet").resolve("character0" + c).resolve(i + ".png"), c + i);
                }
            }
        }
        CliRun o = run(dir.resolve("out"), "--task", "omniglot:" + data, "--ways", "2", "--query", "1", "--hidden", "8",
                "--method", "imaml-cg,fomaml");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("2-way 1-shot classification on Omniglot (3 meta-train, 3 meta-test classes)"), o.out());
    }

    /** A white 32x32 PNG with a black bar at row {@code at}. */
    private static void png(Path file, int at) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 32, 32);
        g.setColor(Color.BLACK);
        g.fillRect(0, 4 * at, 32, 4);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    @Test
    void badOptionsEndWithExitCodeTwoAndNameTheProblem(@TempDir Path dir) {
        String[][] cases = {
            {"--ways", "1"}, {"--ways must be at least 2, got 1"},
            {"--task", "mnist"}, {"unknown --task 'mnist'"},
            {"--method", "reptile"}, {"unknown --method 'reptile'"},
            {"--method", "maml,maml"}, {"names maml twice"},
            {"--seconds", "5"}, {"either --meta-steps or --seconds"},
            {"--lam", "0"}, {"--lam must be a finite number > 0, got 0"},
            {"--data", "digits", "--train-classes", "9"}, {"--train-classes 9 leaves 9 meta-train and 1 meta-test"},
            {"--task", "omniglot:" + dir.resolve("missing")}, {"no such folder"},
            {"--data", "digits", "--shots", "500"}, {"--shots 500 and --query 5 do not fit the meta-training classes"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            CliRun o = run(dir, cases[i]);
            assertEquals(2, o.code(), String.join(" ", cases[i]) + ": " + o.err());
            assertTrue(o.err().contains(cases[i + 1][0]), o.err());
        }
    }
}
