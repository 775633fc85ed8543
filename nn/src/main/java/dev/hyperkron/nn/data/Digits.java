package dev.hyperkron.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The UCI "Optical Recognition of Handwritten Digits" set (E. Alpaydin, C. Kaynak, 1998; CC BY
 * 4.0, see NOTICE), embedded as a resource: 1797 8x8 images of the digits 0-9, about 180 per
 * class. Small enough to train on in seconds, it is the project's built-in default data set
 * and needs no download. Pixel values 0..16 are scaled to [0, 1].
 */
public final class Digits {
    public static final int SIZE = 1797;
    public static final int CLASSES = 10;
    public static final int SIDE = 8;

    private static final String RESOURCE = "digits.csv.gz";
    private static final double MAX_PIXEL = 16;

    private Digits() {
    }

    /** Features F32 [1797, 64], row by row. */
    public static Dataset load() {
        String source = "resource " + Digits.class.getPackageName().replace('.', '/') + "/" + RESOURCE;
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(source + " is missing from the class path (a broken build of hyperkron-nn)");
            }
            Dataset raw = CsvFormat.DEFAULT.withClasses(CLASSES).read(in, source);
            return raw.withFeatures(raw.features().div(MAX_PIXEL));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded digits data set: " + e.getMessage(), e);
        }
    }

    /** Features F32 [1797, 1, 8, 8]: the same images for convolutional models. */
    public static Dataset loadImages() {
        return load().reshapeExamples(1, SIDE, SIDE);
    }
}
