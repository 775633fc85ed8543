package dev.hyperkron.bench.experiments;

import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Split;

/**
 * How the experiments split a data set into training, validation and test examples (stratified):
 * a set distributed with a test split gives training and validation examples from its training
 * part and test examples from its official test set; a set without one (the digits) gives all
 * three from its examples. One rule, so that every command evaluates on the same kind of split.
 */
public final class DataSplits {
    private DataSplits() {
    }

    /**
     * The split of {@code data} (named {@code dataSet} in messages); {@code testSize} 0 takes all of
     * the official test set, or all examples left over for a set without one.
     */
    public static Split split(DataSets.AsDistributed data, String dataSet, int trainSize, int validationSize,
                              int testSize, Rng rng) {
        return data.officialTest().isPresent() ? official(data, dataSet, trainSize, validationSize, testSize, rng)
                : pooled(data.train(), dataSet, trainSize, validationSize, testSize, rng);
    }

    private static Split pooled(Dataset all, String dataSet, int trainSize, int validationSize, int testSize, Rng rng) {
        int test = testSize > 0 ? testSize : all.size() - trainSize - validationSize;
        if (testSize == 0 && test < 1) {
            throw new UserError("cannot take " + trainSize + " training and " + validationSize + " validation examples "
                    + "from the " + all.size() + " of '" + dataSet + "' and keep any for testing");
        }
        if ((long) trainSize + validationSize + test > all.size()) {
            throw new UserError("cannot split " + all.size() + " examples of '" + dataSet + "' into " + trainSize
                    + " training, " + validationSize + " validation and " + test + " test examples");
        }
        return Split.bySizes(all, trainSize, validationSize, test, rng.split(), true);
    }

    private static Split official(DataSets.AsDistributed data, String dataSet, int trainSize, int validationSize,
                                  int testSize, Rng rng) {
        Dataset train = data.train();
        Dataset officialTest = data.officialTest().orElseThrow();
        if ((long) trainSize + validationSize > train.size() || testSize > officialTest.size()) {
            throw new UserError("'" + dataSet + "' has " + train.size() + " training and " + officialTest.size()
                    + " test examples: cannot take " + trainSize + " training + " + validationSize
                    + " validation from the first and " + testSize + " test from the second");
        }
        Split trainVal = Split.bySizes(train, trainSize, validationSize, 0, rng.split(), true);
        Dataset test = testSize == 0 ? officialTest : Split.bySizes(officialTest, testSize, 0, 0, rng.split(), true).train();
        return new Split(trainVal.train(), trainVal.validation(), test);
    }
}
