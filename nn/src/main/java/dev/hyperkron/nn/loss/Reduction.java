package dev.hyperkron.nn.loss;

/** How per-example losses combine: their mean (PyTorch's default), their sum, or none (one loss per example). */
public enum Reduction { MEAN, SUM, NONE }
