package dev.hyperkron.bench.experiments;

/**
 * A problem the user can fix (a missing data set, an unknown method name, a bad combination of
 * options): the command line prints its message on one line and exits with code 2.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }
}
