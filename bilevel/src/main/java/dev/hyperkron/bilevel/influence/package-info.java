/**
 * Influence of training examples (Koh and Liang 2017): how a trained model's loss on a query
 * would change if one training example were upweighted or removed, estimated with any IHVP
 * method of {@code bilevel.methods} (exact, CG, KFAC, EKFAC as in Grosse et al. 2023) and
 * checked against leave-one-out retraining to a tight minimum. Sign convention: MATH.md section 7.
 */
package dev.hyperkron.bilevel.influence;
