package dev.hyperkron.bench.experiments.meta;

/**
 * Everything a meta-learning comparison is built from, after the command has resolved its
 * per-task defaults.
 *
 * @param task         classification, sinusoid or omniglot:DIR
 * @param data         for classification: fashion or digits
 * @param trainClasses for classification: classes 0..trainClasses-1 meta-train, the rest meta-test
 * @param ways         classes per task (classification, Omniglot)
 * @param shots        support examples per class (sinusoid: support points)
 * @param queries      query examples per class (sinusoid: query points)
 * @param hidden       hidden sizes of the classification MLP
 * @param innerSteps   gradient steps of the adaptation
 * @param innerLr      their step size
 * @param lam          the proximal regularization strength
 * @param metaBatch    tasks per meta-step
 * @param outerLr      Adam's learning rate on the meta-parameters
 * @param testTasks    meta-test tasks every evaluation scores
 * @param cgIterations CG iterations of iMAML-CG
 */
public record MetaLearningSetup(String task, String data, int trainClasses, int ways, int shots, int queries, int[] hidden,
                                int innerSteps, double innerLr, double lam, int metaBatch, double outerLr, int testTasks,
                                int cgIterations) {
}
