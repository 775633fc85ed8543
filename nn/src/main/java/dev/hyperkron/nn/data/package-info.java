/**
 * Data for training and bilevel tasks: in-memory {@link dev.hyperkron.nn.data.Dataset}s whose
 * examples keep their source indices, random and stratified splits, per-class subsampling
 * ({@link dev.hyperkron.nn.data.ClassBalance}: imbalanced or balanced sets), normalization,
 * synthetic label noise, a resumable shuffling {@link dev.hyperkron.nn.data.Batcher}, and
 * loaders for the MNIST family, CIFAR-10, CSV tables and the embedded UCI digits set.
 */
package dev.hyperkron.nn.data;
