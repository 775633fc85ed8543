package dev.hyperkron.bench.paper;

/** How a claim of the paper fared in this run. */
public enum Verdict {
    REPRODUCED("reproduced"),
    PARTLY("partly reproduced"),
    NOT_REPRODUCED("not reproduced"),
    NOT_RUN("not run");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * The verdict of a set of head-to-head comparisons: reproduced when every one is a win,
     * not reproduced when none is a win or tie, partly otherwise; not run without comparisons.
     */
    public static Verdict of(Tally tally) {
        if (tally.total() == 0) {
            return NOT_RUN;
        }
        if (tally.wins() == tally.total()) {
            return REPRODUCED;
        }
        return tally.wins() + tally.ties() == 0 ? NOT_REPRODUCED : PARTLY;
    }
}
