package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.data.Batch;
import dev.hyperkron.nn.data.Batcher;
import dev.hyperkron.nn.data.BatcherState;
import dev.hyperkron.nn.data.Dataset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One independent, seeded batcher per role: INNER, CURVATURE and MIXED draw from the inner
 * (training) set, OUTER from the outer (validation) set. Their states are what a checkpoint
 * saves so that a resumed run draws the same batches.
 */
public final class RoleSamplers {
    private final Map<Role, Batcher> batchers = new EnumMap<>(Role.class);

    /**
     * Batchers of {@code innerBatch} examples of {@code innerData} and {@code outerBatch} of
     * {@code outerData} (capped at the set sizes; a batch as large as its set is the full batch),
     * each seeded from its own split of {@code rng}.
     */
    public RoleSamplers(Dataset innerData, int innerBatch, Dataset outerData, int outerBatch, Rng rng) {
        if (innerData.size() == 0 || outerData.size() == 0) {
            throw new IllegalArgumentException("the " + (innerData.size() == 0 ? "inner (training)" : "outer (validation)")
                    + " set is empty: the " + (innerData.size() == 0 ? "inner" : "outer") + " loss needs examples");
        }
        for (Role role : Role.values()) {
            boolean outer = role == Role.OUTER;
            Dataset data = outer ? outerData : innerData;
            int size = Math.min(outer ? outerBatch : innerBatch, data.size());
            batchers.put(role, new Batcher(data, size, false, rng.split()));
        }
    }

    /** The next batch of the batcher for {@code role}. */
    public Batch next(Role role) {
        return batchers.get(role).next();
    }

    /** Each role's batcher state, in {@link Role} order. */
    public List<long[]> state() {
        List<long[]> out = new ArrayList<>();
        for (Role role : Role.values()) {
            out.add(batchers.get(role).state().toLongs());
        }
        return out;
    }

    /** Restores {@link #state()}; refuses a list that does not hold one state per role. */
    public void restore(List<long[]> state) {
        if (state.size() != Role.values().length) {
            throw new IllegalArgumentException("expected " + Role.values().length + " sampler states, got " + state.size());
        }
        for (Role role : Role.values()) {
            batchers.get(role).restore(BatcherState.fromLongs(state.get(role.ordinal())));
        }
    }
}
