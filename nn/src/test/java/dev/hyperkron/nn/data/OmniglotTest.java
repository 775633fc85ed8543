package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Omniglot reader on a tiny tree of PNGs written here: classes, ink values, box averaging, errors. */
class OmniglotTest {

    /** A white width x width 1-bit PNG with a black square of the given side in its top-left corner. */
    private static void png(Path file, int width, int inkSide) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, width, BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, width);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, inkSide, inkSide);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void tree(Path root) throws IOException {
        Path background = root.resolve(Omniglot.BACKGROUND);
        png(background.resolve("Beta/character01/c.png"), 8, 2);
        png(background.resolve("Alpha/character02/b.png"), 8, 4);
        png(background.resolve("Alpha/character01/a2.png"), 8, 4);
        png(background.resolve("Alpha/character01/a1.png"), 8, 2);
        png(root.resolve(Omniglot.EVALUATION).resolve("Gamma/character01/d.png"), 8, 8);
    }

    @Test
    void everyCharacterIsAClassInSortedOrderAndImagesAreInkIntensities(@TempDir Path root) throws IOException {
        tree(root);
        TrainTest halves = Omniglot.load(root, 4);
        Dataset background = halves.train();
        assertEquals(3, background.classes());
        assertEquals(4, background.size());
        assertEquals(java.util.List.of(1, 4, 4), java.util.List.of(background.features().dim(1),
                background.features().dim(2), background.features().dim(3)));
        long[] expectedLabels = {0, 0, 1, 2};
        for (int i = 0; i < 4; i++) {
            assertEquals(expectedLabels[i], background.labels().getLong(i), "label of example " + i);
        }
        // a1.png: a 2x2 black corner of an 8x8 image fills exactly the top-left pixel of the 4x4 result
        assertEquals(1.0, background.features().get(0, 0, 0, 0), 1e-6);
        assertEquals(1.0, background.features().slice(0, 0, 1).sum().item(), 1e-6);
        // a2.png: a 4x4 black corner fills the top-left 2x2 block
        assertEquals(4.0, background.features().slice(0, 1, 2).sum().item(), 1e-6);
        assertEquals(1.0, background.features().get(1, 0, 1, 1), 1e-6);
        Dataset evaluation = halves.test();
        assertEquals(1, evaluation.classes());
        assertEquals(16.0, evaluation.features().sum().item(), 1e-6);
    }

    @Test
    void partialInkIsAveragedOverTheSourcePixelsOfATargetPixel(@TempDir Path root) throws IOException {
        png(root.resolve("A/c/x.png"), 8, 1);
        Dataset d = Omniglot.read(root, 2);
        assertEquals(1.0 / 16, d.features().get(0, 0, 0, 0), 1e-6);
    }

    @Test
    void missingFoldersEmptyCharactersAndTinyImagesAreRefusedByName(@TempDir Path root) throws IOException {
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> Omniglot.load(root.resolve("none"), 28));
        assertTrue(missing.getMessage().contains("images_background.zip"), missing.getMessage());
        Files.createDirectories(root.resolve("empty/A/c"));
        DatasetFileException empty = assertThrows(DatasetFileException.class, () -> Omniglot.read(root.resolve("empty"), 28));
        assertTrue(empty.getMessage().contains("without .png"), empty.getMessage());
        png(root.resolve("tiny/A/c/x.png"), 8, 1);
        DatasetFileException tiny = assertThrows(DatasetFileException.class, () -> Omniglot.read(root.resolve("tiny"), 28));
        assertTrue(tiny.getMessage().contains("8x8") && tiny.getMessage().contains("28x28"), tiny.getMessage());
    }
}
