package dev.hyperkron.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bench.experiments.UserError;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridTest {
    @Test
    void theGridIsTheProductOfItsAxesFirstKeySlowest() {
        Grid grid = Grid.parse("hyperclean", List.of("method=aid-kfac,aid-cg", "seed=0,1,2", "--damping=0.001,0.01"),
                List.of("--steps", "20"));
        List<Configuration> cs = grid.configurations();
        assertEquals(12, cs.size());
        assertEquals(List.of("--method", "aid-kfac", "--seed", "0", "--damping", "0.001", "--steps", "20"), cs.get(0).args());
        assertEquals(List.of("--method", "aid-cg", "--seed", "2", "--damping", "0.01", "--steps", "20"), cs.get(11).args());
        assertEquals(12, new HashSet<>(cs.stream().map(Configuration::id).toList()).size());
        assertTrue(cs.get(0).id().startsWith("method-aid-kfac_seed-0_damping-0.001_"));
        assertEquals(List.of("hyperclean", "--method", "aid-kfac", "--seed", "0", "--damping", "0.001", "--steps", "20",
                "--out", "D"), List.of(cs.get(0).commandLine("D")));
    }

    @Test
    void idsAreStableAndChangeWithTheFixedArguments() {
        String a = Grid.parse("poison", List.of("seed=1"), List.of("--steps", "2")).configurations().get(0).id();
        String b = Grid.parse("poison", List.of("seed=1"), List.of("--steps", "2")).configurations().get(0).id();
        String c = Grid.parse("poison", List.of("seed=1"), List.of("--steps", "3")).configurations().get(0).id();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void badGridsAreRefusedSayingWhy() {
        assertThrows(UserError.class, () -> Grid.parse("demo", List.of(), List.of()));
        assertThrows(UserError.class, () -> Grid.parse("hyperclean", List.of("seed"), List.of()));
        assertThrows(UserError.class, () -> Grid.parse("hyperclean", List.of("seed=1,,2"), List.of()));
        assertThrows(UserError.class, () -> Grid.parse("hyperclean", List.of("seed=1,1"), List.of()));
        assertThrows(UserError.class, () -> Grid.parse("hyperclean", List.of("seed=1", "seed=2"), List.of()));
        assertThrows(UserError.class, () -> Grid.parse("hyperclean", List.of("out=a,b"), List.of()));
        assertThrows(UserError.class, () -> Grid.parse("hyperclean", List.of(), List.of("--out", "x")));
        assertThrows(UserError.class, () -> Grid.parse("hyperclean", List.of("seed=1"), List.of("--seed", "2")));
    }
}
