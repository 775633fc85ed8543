package dev.hyperkron.nn.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.data.DatasetFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrecTest {
    /** The shared data folder next to the project (tests run in the module folder). */
    static final Path TREC = Path.of("../../shared/data/trec");

    @Test
    void readsTheSharedTrecSplitsAndNoisyLabels() throws IOException {
        assumeTrue(Files.isDirectory(TREC), "TREC data not found at " + TREC.toAbsolutePath() + "; skipping");
        Trec trec = Trec.load(TREC);
        assertEquals(5033, trec.train().size());
        assertEquals(500, trec.validation().size());
        assertEquals(500, trec.test().size());
        assertEquals(6, trec.train().classes());
        assertEquals("how did serfdom develop in and then leave russia ?", trec.train().texts().get(0));
        long[] gold = (long[]) trec.train().labels().storage().array();
        long[] noisy = (long[]) trec.noisyTrain().labels().storage().array();
        int disagree = 0;
        int noisyZero = 0;
        for (int i = 0; i < gold.length; i++) {
            disagree += gold[i] != noisy[i] ? 1 : 0;
            noisyZero += noisy[i] == 0 ? 1 : 0;
        }
        assertEquals(0.513, disagree / 5033.0, 0.001, "the data README's noise rate");
        assertEquals(0.68, noisyZero / 5033.0, 0.005, "68% of the noisy labels say class 0");
    }

    private static void writeSplits(Path dir, String train) throws IOException {
        Files.writeString(dir.resolve("train.json"), train);
        String one = "{\"0\": {\"label\": 1, \"data\": {\"text\": \"why ?\"}}}";
        Files.writeString(dir.resolve("valid.json"), one);
        Files.writeString(dir.resolve("test.json"), one);
    }

    private static void writeLabels(Path dir, long... labels) throws IOException {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + labels.length + ",), }";
        byte[] text = (header + " ".repeat(117 - header.length()) + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + text.length + 8 * labels.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) text.length).put(text);
        for (long l : labels) {
            b.putLong(l);
        }
        Files.write(dir.resolve("hard_labels.npy"), b.array());
    }

    @Test
    void readsASmallDirectoryAndKeepsTrueAndNoisyLabelsApart(@TempDir Path dir) throws IOException {
        writeSplits(dir, "{\"1\": {\"label\": 5, \"data\": {\"text\": \"how many ?\"}}, "
                + "\"0\": {\"label\": 2, \"weak_labels\": [-1, 2], \"data\": {\"text\": \"who is it ?\"}}}");
        writeLabels(dir, 0, 5);
        Trec trec = Trec.load(dir);
        assertEquals(java.util.List.of("who is it ?", "how many ?"), trec.train().texts());
        assertEquals(Tensor.of(new long[] {2, 5}), trec.train().labels());
        assertEquals(Tensor.of(new long[] {0, 5}), trec.noisyTrain().labels());
        assertEquals(DType.I64, trec.noisyTrainLabels().dtype());
    }

    @Test
    void malformedFilesAreErrorsNamingTheFileAndRecord(@TempDir Path dir) throws IOException {
        writeSplits(dir, "{\"0\": {\"label\": 7, \"data\": {\"text\": \"x\"}}}");
        writeLabels(dir, 0);
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> Trec.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("train.json") + ": record \"0\": label must be an integer in [0, 6)"),
                e.getMessage());

        writeSplits(dir, "{\"0\": {\"label\": 1, \"data\": {\"text\": \"x\"}}, \"2\": {\"label\": 1, \"data\": {\"text\": \"y\"}}}");
        assertTrue(assertThrows(DatasetFileException.class, () -> Trec.load(dir)).getMessage()
                .contains("has 2 records but none keyed \"1\""));

        writeSplits(dir, "{\"0\": {\"label\": 1, \"data\": {\"text\": \"  \"}}}");
        assertTrue(assertThrows(DatasetFileException.class, () -> Trec.load(dir)).getMessage()
                .contains("record \"0\": data.text must be a non-empty string"));

        writeSplits(dir, "{\"0\": {\"label\": 1, \"data\": {\"text\": \"x\"}}}");
        writeLabels(dir, 0, 1);
        assertTrue(assertThrows(DatasetFileException.class, () -> Trec.load(dir)).getMessage()
                .contains("hard_labels.npy: must hold one integer label per training question (1), but holds I64 [2]"));
        writeLabels(dir, 9);
        assertTrue(assertThrows(DatasetFileException.class, () -> Trec.load(dir)).getMessage()
                .contains("label 9 of text 0 is outside [0, 6)"));
    }
}
