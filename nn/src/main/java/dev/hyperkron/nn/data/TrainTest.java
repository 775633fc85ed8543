package dev.hyperkron.nn.data;

/**
 * The training and test sets of a data set distributed pre-split (MNIST, CIFAR-10). Each keeps
 * its own example indices 0..N-1; carve a validation set from {@code train} with {@link Split}.
 */
public record TrainTest(Dataset train, Dataset test) {
}
