package dev.hyperkron.bench.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Without --out a command writes to hyperkron-out/COMMAND, whether its output option is mixed in
 * directly, through RunOptions, or through a mixin holding RunOptions (as FigureOptions does).
 */
class OutputOptionTest {

    @Command(name = "direct")
    static final class Direct {
        @Mixin
        OutputOption output;
    }

    @Command(name = "through-run")
    static final class ThroughRun {
        @Mixin
        RunOptions run;
    }

    static final class Holder {
        @Mixin
        RunOptions run;
    }

    @Command(name = "two-levels")
    static final class TwoLevels {
        @Mixin
        Holder options;
    }

    @Test
    void theDefaultFolderIsNamedAfterTheCommand() {
        Direct direct = new Direct();
        new CommandLine(direct).parseArgs();
        assertEquals(Path.of("hyperkron-out", "direct"), direct.output.folder());
        ThroughRun throughRun = new ThroughRun();
        new CommandLine(throughRun).parseArgs();
        assertEquals(Path.of("hyperkron-out", "through-run"), throughRun.run.folder());
        TwoLevels twoLevels = new TwoLevels();
        new CommandLine(twoLevels).parseArgs();
        assertEquals(Path.of("hyperkron-out", "two-levels"), twoLevels.options.run.folder());
    }

    @Test
    void aGivenFolderIsKept() {
        ThroughRun command = new ThroughRun();
        new CommandLine(command).parseArgs("--out", "elsewhere/run");
        assertEquals(Path.of("elsewhere/run"), command.run.folder());
    }
}
