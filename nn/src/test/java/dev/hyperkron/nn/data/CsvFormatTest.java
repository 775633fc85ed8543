package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFormatTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path gzipFile(String name, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }

    private DatasetFileException rejects(CsvFormat format, String text, String... phrases) throws IOException {
        Path f = file("bad.csv", text);
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> format.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), "names the file: " + e.getMessage());
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void theLastColumnIsTheLabelByDefaultAndClassesAreInferred() throws IOException {
        Dataset d = CsvFormat.DEFAULT.read(file("a.csv", "1.5,2,0\n-3,4e-1,2\n\n0, 0 ,1\n"));
        assertEquals(Tensor.of(new float[] {1.5f, 2, -3, 0.4f, 0, 0}, 3, 2), d.features());
        assertEquals(Tensor.of(new long[] {0, 2, 1}), d.labels());
        assertEquals(3, d.classes());
    }

    @Test
    void headerDelimiterLabelColumnAndClassesAreConfigurable() throws IOException {
        CsvFormat format = CsvFormat.DEFAULT.withHeader(true).withDelimiter(';').withLabelColumn(0).withClasses(5);
        Dataset d = format.read(file("b.csv", "label;x;y\n4;1;2\n0;3;4\n"));
        assertEquals(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), d.features());
        assertEquals(Tensor.of(new long[] {4, 0}), d.labels());
        assertEquals(5, d.classes());
        assertEquals(Tensor.of(new long[] {1, 0}),
                CsvFormat.DEFAULT.withLabelColumn(-2).read(file("c.csv", "1,7\n0,8\n")).labels());
    }

    @Test
    void gzippedFilesAreDetectedFromTheirContent() throws IOException {
        Dataset d = CsvFormat.DEFAULT.read(gzipFile("plain-name.csv", "1,2,1\n3,4,0\n"));
        assertEquals(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), d.features());
    }

    @Test
    void nonNumericFieldsAreReportedWithLineAndColumn() throws IOException {
        rejects(CsvFormat.DEFAULT, "1,2,0\n\n1,abc,1\n", "line 3, column 1", "'abc' is not a number");
        rejects(CsvFormat.DEFAULT, "1,NaN,0\n", "line 1, column 1", "not a finite number");
        rejects(CsvFormat.DEFAULT, "1,,0\n", "line 1, column 1", "'' is not a number");
        rejects(CsvFormat.DEFAULT, "1,-1e39,0\n", "line 1, column 1", "'-1e39' is beyond the range of F32");
    }

    @Test
    void raggedRowsAreReportedWithBothLines() throws IOException {
        rejects(CsvFormat.DEFAULT, "1,2,0\n3,4,1\n5,1\n", "line 3: 2 fields, but line 1 has 3");
        rejects(CsvFormat.DEFAULT.withHeader(true), "a,b\n1,2,0\n", "line 2: 3 fields, but line 1 has 2");
    }

    @Test
    void labelsMustBeIntegersWithinTheClasses() throws IOException {
        rejects(CsvFormat.DEFAULT, "1,2,0\n1,2,2.5\n", "line 2, column 2", "label '2.5' is not an integer");
        rejects(CsvFormat.DEFAULT.withClasses(3), "1,2,0\n1,2,3\n", "line 2", "label 3 is outside the 3 classes [0, 3)");
        rejects(CsvFormat.DEFAULT, "1,2,-1\n", "line 1", "label -1 is outside");
    }

    @Test
    void degenerateTablesAreRejected() throws IOException {
        rejects(CsvFormat.DEFAULT, "\n\n", "no data rows");
        rejects(CsvFormat.DEFAULT.withHeader(true), "a,b,label\n", "no data rows after the header");
        rejects(CsvFormat.DEFAULT.withLabelColumn(3), "1,2,0\n", "label column 3 does not exist in a row of 3 fields");
        rejects(CsvFormat.DEFAULT, "0\n1\n", "no feature besides the label");
        assertThrows(IllegalArgumentException.class, () -> CsvFormat.DEFAULT.withClasses(-1));
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        Path f = gzipFile("t.csv.gz", "1,2,0\n".repeat(1000));
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 10));
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> CsvFormat.DEFAULT.read(f));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }
}
