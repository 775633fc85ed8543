package dev.hyperkron.bench.paper;

import java.util.List;

/**
 * What a finished stage left behind ({@code stage.json} in its folder): the exact command, how
 * it ended and how long it took. A stage whose record matches the plan's arguments and ended
 * with 0 is not run again.
 *
 * @param id       the stage id
 * @param args     the command and arguments it ran (without --out and --resume)
 * @param exitCode the command's exit code
 * @param seconds  wall-clock seconds of its last run
 * @param finished when it ended (ISO-8601, UTC)
 */
public record StageRecord(String id, List<String> args, int exitCode, double seconds, String finished) {

    /** Whether this record is a successful run of exactly that stage. */
    public boolean completes(Stage stage) {
        return exitCode == 0 && id.equals(stage.id()) && args.equals(stage.args());
    }
}
