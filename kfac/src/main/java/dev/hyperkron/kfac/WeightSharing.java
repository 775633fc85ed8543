package dev.hyperkron.kfac;

/**
 * How KFAC treats a weight shared over positions (conv spatial positions, sequence tokens),
 * after Eschenhagen et al. 2023.
 */
public enum WeightSharing {
    /** Every position is an extra example: A averages over positions, G sums over them. */
    EXPAND,
    /** Inputs are averaged and output gradients summed over positions first, then factored. */
    REDUCE
}
