package dev.hyperkron.nn.data;

/** Label checks shared by the loaders, so every format reports a bad label the same way. */
final class Labels {
    private Labels() {
    }

    /** Rejects the first label outside [0, classes), naming the source and the example (or record) number. */
    static void requireInRange(String source, long[] labels, int classes, String exampleWord) throws DatasetFileException {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new DatasetFileException(source, exampleWord + " " + i + " has label " + labels[i]
                        + ", outside the " + classes + " classes [0, " + classes + ")");
            }
        }
    }
}
