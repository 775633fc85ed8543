package dev.hyperkron.bench.paper;

/**
 * Wins, ties and losses of the paper's method in a claim's head-to-head comparisons. Two
 * measurements tie when they differ by no more than the larger of their spreads over seeds, or
 * by less than {@value #RELATIVE_TIE} of the larger of them (a model that learned nothing under
 * both methods, a hair's difference that another seed would reverse).
 */
public final class Tally {
    static final double RELATIVE_TIE = 0.01;
    private int wins;
    private int ties;
    private int losses;

    /** The outcome of one comparison. */
    public enum Outcome {
        WIN, TIE, LOSS;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Records and returns the outcome for the paper's method with value {@code ours} (spread
     * {@code oursSd}) against {@code theirs}; NaN on either side (diverged, missing) is a loss
     * for the side that has it.
     */
    public Outcome compare(double ours, double oursSd, double theirs, double theirsSd, boolean lowerIsBetter) {
        Outcome o;
        if (Double.isNaN(ours) || Double.isNaN(theirs)) {
            o = Double.isNaN(ours) ? Outcome.LOSS : Outcome.WIN;
        } else if (Math.abs(ours - theirs) <= Math.max(Math.max(nonNegative(oursSd), nonNegative(theirsSd)),
                RELATIVE_TIE * Math.max(Math.abs(ours), Math.abs(theirs)))) {
            o = Outcome.TIE;
        } else {
            o = (ours < theirs) == lowerIsBetter ? Outcome.WIN : Outcome.LOSS;
        }
        add(o);
        return o;
    }

    /** Records an outcome decided elsewhere. */
    public void add(Outcome o) {
        switch (o) {
            case WIN -> wins++;
            case TIE -> ties++;
            case LOSS -> losses++;
        }
    }

    /** Adds another tally's outcomes to this one. */
    public void addAll(Tally other) {
        wins += other.wins;
        ties += other.ties;
        losses += other.losses;
    }

    private static double nonNegative(double sd) {
        return Double.isNaN(sd) ? 0 : Math.max(0, sd);
    }

    public int wins() {
        return wins;
    }

    public int ties() {
        return ties;
    }

    public int losses() {
        return losses;
    }

    public int total() {
        return wins + ties + losses;
    }

    /** "3 wins, 1 tie, 0 losses". */
    public String summary() {
        return wins + (wins == 1 ? " win, " : " wins, ") + ties + (ties == 1 ? " tie, " : " ties, ") + losses
                + (losses == 1 ? " loss" : " losses");
    }
}
