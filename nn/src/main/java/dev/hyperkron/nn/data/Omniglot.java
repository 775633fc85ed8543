package dev.hyperkron.nn.data;

import dev.hyperkron.core.Tensor;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads Omniglot (Lake et al. 2015) as distributed: the folders images_background (meta-training)
 * and images_evaluation (meta-test), each ALPHABET/CHARACTER/*.png. Every character is a class
 * (classes numbered in sorted alphabet, then character order); images are box-averaged to a
 * square side (28 in the few-shot literature) and stored as ink intensity F32 [N, 1, side, side] in
 * [0, 1], strokes 1 on a background 0.
 */
public final class Omniglot {
    /** The meta-training half's folder name. */
    public static final String BACKGROUND = "images_background";
    /** The meta-test half's folder name. */
    public static final String EVALUATION = "images_evaluation";

    private static final String HOW_TO_GET = "download images_background.zip and images_evaluation.zip from "
            + "https://github.com/brendenlake/omniglot (python/) and unzip both into one directory";

    private Omniglot() {
    }

    /** Both halves under {@code dir}: background as {@code train}, evaluation as {@code test}. */
    public static TrainTest load(Path dir, int side) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such directory for Omniglot; " + HOW_TO_GET);
        }
        return new TrainTest(read(dir.resolve(BACKGROUND), side), read(dir.resolve(EVALUATION), side));
    }

    /** One half: every ALPHABET/CHARACTER/*.png under {@code folder}, one class per character. */
    public static Dataset read(Path folder, int side) throws IOException {
        if (side < 1) {
            throw new IllegalArgumentException("Omniglot: the image side must be at least 1, got " + side);
        }
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "no such Omniglot folder; " + HOW_TO_GET);
        }
        List<float[]> images = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        int classes = 0;
        for (Path alphabet : sortedDirectories(folder)) {
            for (Path character : sortedDirectories(alphabet)) {
                List<Path> pngs;
                try (Stream<Path> files = Files.list(character)) {
                    pngs = files.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png"))
                            .sorted().toList();
                }
                if (pngs.isEmpty()) {
                    throw new DatasetFileException(character.toString(), "a character folder without .png images");
                }
                for (Path png : pngs) {
                    images.add(ink(png, side));
                    labels.add((long) classes);
                }
                classes++;
            }
        }
        if (classes == 0) {
            throw new DatasetFileException(folder.toString(), "no ALPHABET/CHARACTER/*.png images; " + HOW_TO_GET);
        }
        int pixels = side * side;
        float[] features = new float[images.size() * pixels];
        long[] y = new long[images.size()];
        for (int i = 0; i < y.length; i++) {
            System.arraycopy(images.get(i), 0, features, i * pixels, pixels);
            y[i] = labels.get(i);
        }
        return Dataset.of(Tensor.of(features, y.length, 1, side, side), Tensor.of(y, y.length), classes);
    }

    private static List<Path> sortedDirectories(Path parent) throws IOException {
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }

    /**
     * The image as 1 - gray level in [0, 1], box-averaged to side x side: each source pixel counts
     * toward the target pixel its centre falls in (Omniglot's 105x105 1-bit strokes would alias
     * under point sampling).
     */
    private static float[] ink(Path png, int side) throws IOException {
        BufferedImage source = ImageIO.read(png.toFile());
        if (source == null) {
            throw new DatasetFileException(png.toString(), "not an image javax.imageio can read");
        }
        int width = source.getWidth();
        int height = source.getHeight();
        if (width < side || height < side) {
            throw new DatasetFileException(png.toString(), "a " + width + "x" + height + " image is smaller than the "
                    + side + "x" + side + " it should be reduced to");
        }
        BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        try {
            g.drawImage(source, 0, 0, null);
        } finally {
            g.dispose();
        }
        double[] sums = new double[side * side];
        int[] counts = new int[side * side];
        var raster = gray.getRaster();
        for (int y = 0; y < height; y++) {
            int r = (int) ((y + 0.5) * side / height);
            for (int x = 0; x < width; x++) {
                int at = r * side + (int) ((x + 0.5) * side / width);
                sums[at] += 1.0 - raster.getSample(x, y, 0) / 255.0;
                counts[at]++;
            }
        }
        float[] out = new float[side * side];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts[i] == 0 ? 0f : (float) (sums[i] / counts[i]);
        }
        return out;
    }
}
