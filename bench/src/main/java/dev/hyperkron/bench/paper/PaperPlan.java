package dev.hyperkron.bench.paper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The experiments of the paper run at a scale, in order: Figure 1 (top, at the methods' damping
 * and in the automatic-damping variant; downstream, hypercleaning with each IHVP solver), 2, 3,
 * 4 with Figure 1 (bottom) when the TREC data are present, 5, meta-learning and data poisoning.
 */
public final class PaperPlan {
    /** Stage ids, in run order. */
    public static final String FIGURE1_TOP = "figure1-top";
    public static final String FIGURE1_AUTO = "figure1-top-auto";
    public static final String FIGURE1_DOWNSTREAM = "figure1-downstream";
    public static final String FIGURE2 = "figure2";
    public static final String FIGURE3 = "figure3";
    public static final String TEXT = "figure4-text";
    public static final String FIGURE5 = "figure5";
    public static final String META = "meta-learning";
    public static final String POISON = "poisoning";

    private final List<Stage> stages;
    private final Map<String, String> skipped;

    /** The commands of stages that run where --device says. */
    private static final Set<String> DEVICE_COMMANDS = Set.of("figure2", "figure3", "figure5", "text-clean", "poison");

    private PaperPlan(List<Stage> stages, Map<String, String> skipped) {
        this.stages = List.copyOf(stages);
        this.skipped = Map.copyOf(skipped);
    }

    /**
     * The plan at {@code scale}; the text stage runs when {@code trec} holds the TREC data and is
     * listed in {@link #skipped()} with the reason otherwise.
     */
    public static PaperPlan of(PaperScale scale, Path trec) {
        boolean smoke = scale == PaperScale.SMOKE;
        List<String> digitsMlp = smoke ? List.of("--data", "digits", "--hidden", "16") : List.of();
        List<Stage> stages = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        stages.add(new Stage(FIGURE1_TOP, "Figure 1 (top): IHVP and hypergradient accuracy vs cost at the methods' damping",
                concat(List.of("ihvp-tradeoff"), scale.tradeoff()), scale.estimate(30), false));
        stages.add(new Stage(FIGURE1_AUTO, "Figure 1 (top), automatic-damping variant (well-conditioned)",
                concat(List.of("ihvp-tradeoff", "--damping", "auto", "--no-hypergradients"), scale.tradeoff()),
                scale.estimate(10), false));
        stages.add(new Stage(FIGURE1_DOWNSTREAM, "Figure 1 (downstream): test loss of hypercleaning with each IHVP solver",
                concat(List.of("figure2"), digitsMlp, List.of("--method",
                        "aid-kfac,aid-ekfac,aid-cg,aid-pcg,aid-minres,aid-neumann,aid-identity,valid-only"),
                        scale.figures(12)), scale.estimate(105), true));
        stages.add(new Stage(FIGURE2, "Figure 2: data hypercleaning, native IHVPs vs KFAC and the baselines",
                concat(List.of("figure2"), digitsMlp, scale.figures(12)), scale.estimate(175), true));
        stages.add(new Stage(FIGURE3, "Figure 3: batch sizes and models, AID-KFAC vs AID-CG",
                concat(List.of("figure3"), digitsMlp, smoke ? List.of("--models", "linear,mlp", "--batch-sizes", "16,64")
                        : List.of(), scale.figures(8)), scale.estimate(180), true));
        Optional<String> textProblem = trecProblem(trec);
        if (textProblem.isEmpty()) {
            stages.add(new Stage(TEXT, "Figures 1 (bottom) and 4: text hypercleaning with BERT (all-MiniLM-L6-v2) on TREC",
                    concat(List.of("text-clean"), scale.text(trec.toString())), scale.estimate(190), true));
        } else {
            skipped.put(TEXT, textProblem.get());
        }
        stages.add(new Stage(FIGURE5, "Figure 5: the CNN and the linear model",
                concat(List.of("figure5"), smoke ? List.of("--cnn-data", "digits", "--linear-data", "digits") : List.of(),
                        scale.figures(12)), scale.estimate(160), true));
        stages.add(new Stage(META, "Meta-learning: implicit MAML with KFAC vs CG, FOMAML and MAML",
                concat(List.of("meta-learn"), scale.meta()), scale.estimate(95), true));
        stages.add(new Stage(POISON, "AI safety: data poisoning by AID-KFAC, AID-CG and one-step unrolling",
                concat(List.of("poison"), scale.poison()), scale.estimate(55), false));
        return new PaperPlan(stages, skipped);
    }

    /** Why the TREC folder cannot be used, or empty when it can. */
    static Optional<String> trecProblem(Path trec) {
        for (String file : List.of("train.json", "valid.json", "test.json", "hard_labels.npy")) {
            if (!Files.isRegularFile(trec.resolve(file))) {
                return Optional.of("no TREC data at " + trec + " (" + file + " missing); give --trec DIR");
            }
        }
        return Optional.empty();
    }

    public List<Stage> stages() {
        return stages;
    }

    /** Stages that cannot run here: the reason by stage id. */
    public Map<String, String> skipped() {
        return skipped;
    }

    /**
     * The plan with the stages whose commands take --device (the figures, text hypercleaning,
     * poisoning) run on the device named; the others (the IHVP trade-off, meta-learning) stay on
     * the host. The host's name leaves the plan as it is.
     */
    public PaperPlan on(String device) {
        if (device.equals("cpu")) {
            return this;
        }
        List<Stage> moved = stages.stream().map(s -> DEVICE_COMMANDS.contains(s.args().get(0))
                ? new Stage(s.id(), s.title(), concat(s.args(), List.of("--device", device)), s.estimatedSeconds(),
                        s.resumable())
                : s).toList();
        return new PaperPlan(moved, skipped);
    }

    /** The plan restricted to the given stage ids (all when the list is empty). */
    public PaperPlan only(List<String> ids) {
        if (ids.isEmpty()) {
            return this;
        }
        return new PaperPlan(stages.stream().filter(s -> ids.contains(s.id())).toList(), skipped);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }
}
