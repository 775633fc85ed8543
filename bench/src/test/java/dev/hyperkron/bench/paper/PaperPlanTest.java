package dev.hyperkron.bench.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where the paper's stages run: --device reaches the commands that take it, and only those. */
class PaperPlanTest {

    @Test
    void theDeviceGoesToTheStagesWhoseCommandsTakeItAndTheOthersStayOnTheHost() {
        PaperPlan host = PaperPlan.of(PaperScale.SMOKE, Path.of("/no/trec"));
        assertSame(host, host.on("cpu"));
        PaperPlan onDevice = host.on("cuda:1");
        assertEquals(host.stages().size(), onDevice.stages().size());
        Set<String> takeDevice = Set.of("figure2", "figure3", "figure5", "text-clean", "poison");
        for (int i = 0; i < host.stages().size(); i++) {
            List<String> before = host.stages().get(i).args();
            List<String> after = onDevice.stages().get(i).args();
            if (takeDevice.contains(before.get(0))) {
                assertEquals(before, after.subList(0, before.size()));
                assertEquals(List.of("--device", "cuda:1"), after.subList(before.size(), after.size()));
            } else {
                assertEquals(before, after, before.get(0) + " stays on the host");
            }
        }
    }
}
