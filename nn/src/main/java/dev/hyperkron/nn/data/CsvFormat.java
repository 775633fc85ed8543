package dev.hyperkron.nn.data;

import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a numeric CSV table, one example per row, into a {@link Dataset}: every column is an
 * F32 feature except the label column, whose values must be integers in [0, classes). Plain
 * delimiter-separated values only (no quoting); blank lines are skipped; gzip-compressed input
 * is detected from its magic bytes. Errors name the source, the line (counted from 1) and the
 * column (counted from 0, like {@code labelColumn}).
 *
 * @param labelColumn the label's column counted from 0; negative counts from the end (-1: last)
 * @param header      whether the first non-blank line holds column names
 * @param delimiter   the field separator
 * @param classes     the number of classes, or 0 to take the largest label + 1
 */
public record CsvFormat(int labelColumn, boolean header, char delimiter, int classes) {
    /** Comma-separated, no header, label in the last column, classes inferred. */
    public static final CsvFormat DEFAULT = new CsvFormat(-1, false, ',', 0);

    public CsvFormat {
        if (classes < 0) {
            throw new IllegalArgumentException("CsvFormat: classes must be positive, or 0 to infer them; got " + classes);
        }
    }

    public CsvFormat withLabelColumn(int column) {
        return new CsvFormat(column, header, delimiter, classes);
    }

    public CsvFormat withHeader(boolean hasHeader) {
        return new CsvFormat(labelColumn, hasHeader, delimiter, classes);
    }

    public CsvFormat withDelimiter(char separator) {
        return new CsvFormat(labelColumn, header, separator, classes);
    }

    public CsvFormat withClasses(int count) {
        return new CsvFormat(labelColumn, header, delimiter, count);
    }

    /** Reads a CSV file, raw or gzipped. */
    public Dataset read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads CSV text (raw or gzipped) from a stream to its end and closes it; {@code source} names it in errors. */
    public Dataset read(InputStream stream, String source) throws IOException {
        InputStream in = new BufferedInputStream(stream, 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                gzip ? new GZIPInputStream(in, 1 << 16) : in, StandardCharsets.UTF_8))) {
            return parse(reader, source);
        } catch (EOFException e) {
            throw new DatasetFileException(source, "truncated gzip stream: " + e.getMessage());
        } catch (ZipException e) {
            throw new DatasetFileException(source, "corrupt gzip stream: " + e.getMessage());
        }
    }

    private Dataset parse(BufferedReader reader, String source) throws IOException {
        Table table = new Table();
        int width = -1;
        int labelAt = -1;
        int widthLine = 0;
        boolean headerPending = header;
        int lineNumber = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = split(line);
            if (width < 0) {
                width = fields.length;
                widthLine = lineNumber;
                labelAt = labelColumn < 0 ? width + labelColumn : labelColumn;
                if (labelAt < 0 || labelAt >= width) {
                    throw new DatasetFileException(source, "line " + lineNumber + ": label column " + labelColumn
                            + " does not exist in a row of " + width + " fields");
                }
                if (width < 2) {
                    throw new DatasetFileException(source, "line " + lineNumber + ": a row of " + width
                            + " field has no feature besides the label");
                }
            } else if (fields.length != width) {
                throw new DatasetFileException(source, "line " + lineNumber + ": " + fields.length + " fields, but line "
                        + widthLine + " has " + width + " (ragged rows)");
            }
            if (headerPending) {
                headerPending = false;
                continue;
            }
            table.addRow(source, lineNumber, fields, labelAt);
        }
        if (table.rows == 0) {
            throw new DatasetFileException(source, "no data rows" + (header ? " after the header" : ""));
        }
        return table.toDataset(source, width - 1);
    }

    private String[] split(String line) {
        int count = 1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == delimiter) {
                count++;
            }
        }
        String[] fields = new String[count];
        int start = 0;
        for (int k = 0; k < count; k++) {
            int end = line.indexOf(delimiter, start);
            if (end < 0) {
                end = line.length();
            }
            fields[k] = line.substring(start, end).trim();
            start = end + 1;
        }
        return fields;
    }

    /** The rows parsed so far, in growable arrays. */
    private final class Table {
        float[] features = new float[1024];
        long[] labels = new long[64];
        int rows;
        int size;
        long maxLabel = -1;
        int maxLabelLine;

        void addRow(String source, int lineNumber, String[] fields, int labelAt) throws DatasetFileException {
            if (size + fields.length > features.length) {
                features = Arrays.copyOf(features, Math.max(features.length * 2, size + fields.length));
            }
            if (rows == labels.length) {
                labels = Arrays.copyOf(labels, rows * 2);
            }
            for (int c = 0; c < fields.length; c++) {
                double value = number(source, lineNumber, c, fields[c]);
                if (c != labelAt) {
                    if (Math.abs(value) > Float.MAX_VALUE) {
                        throw new DatasetFileException(source, "line " + lineNumber + ", column " + c + ": '" + fields[c]
                                + "' is beyond the range of F32 features (|x| <= " + Float.MAX_VALUE + ")");
                    }
                    features[size++] = (float) value;
                    continue;
                }
                if (value != Math.rint(value)) {
                    throw new DatasetFileException(source, "line " + lineNumber + ", column " + c + ": label '"
                            + fields[c] + "' is not an integer");
                }
                if (value < 0 || (classes > 0 && value >= classes)) {
                    throw new DatasetFileException(source, "line " + lineNumber + ", column " + c + ": label " + fields[c]
                            + " is outside " + (classes > 0 ? "the " + classes + " classes [0, " + classes + ")"
                            : "[0, infinity)"));
                }
                labels[rows] = (long) value;
                if (labels[rows] > maxLabel) {
                    maxLabel = labels[rows];
                    maxLabelLine = lineNumber;
                }
            }
            rows++;
        }

        Dataset toDataset(String source, int featureCount) throws DatasetFileException {
            if (maxLabel >= Integer.MAX_VALUE) {
                throw new DatasetFileException(source, "line " + maxLabelLine + ": label " + maxLabel
                        + " is too large to infer a number of classes from");
            }
            Tensor x = Tensor.wrap(Storage.wrap(Arrays.copyOf(features, size)), Shape.of(rows, featureCount));
            Tensor y = Tensor.of(Arrays.copyOf(labels, rows));
            return Dataset.of(x, y, classes > 0 ? classes : (int) maxLabel + 1);
        }

        private double number(String source, int lineNumber, int column, String field) throws DatasetFileException {
            double value;
            try {
                value = Double.parseDouble(field);
            } catch (NumberFormatException e) {
                throw new DatasetFileException(source, "line " + lineNumber + ", column " + column + ": '" + field
                        + "' is not a number");
            }
            if (!Double.isFinite(value)) {
                throw new DatasetFileException(source, "line " + lineNumber + ", column " + column + ": '" + field
                        + "' is not a finite number");
            }
            return value;
        }
    }
}
