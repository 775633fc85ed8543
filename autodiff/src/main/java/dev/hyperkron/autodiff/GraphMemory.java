package dev.hyperkron.autodiff;

import dev.hyperkron.core.Storage;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.IdentityHashMap;

/**
 * Measures what a retained graph holds: the bytes of every distinct tensor storage reachable from
 * some Vars through recorded nodes (the values that backward rules keep for a later pass). This
 * is what Hessian-vector products by double backward keep alive between products.
 */
public final class GraphMemory {
    private GraphMemory() {
    }

    /** Bytes of the distinct storages of the roots and of every Var their recorded graph reaches. */
    public static long retainedBytes(Collection<Var> roots) {
        IdentityHashMap<Var, Boolean> seen = new IdentityHashMap<>();
        IdentityHashMap<Storage, Boolean> storages = new IdentityHashMap<>();
        ArrayDeque<Var> pending = new ArrayDeque<>();
        for (Var r : roots) {
            if (r != null && seen.put(r, Boolean.TRUE) == null) {
                pending.push(r);
            }
        }
        long bytes = 0;
        while (!pending.isEmpty()) {
            Var v = pending.pop();
            Storage s = v.value().storage();
            if (storages.put(s, Boolean.TRUE) == null) {
                bytes += (long) s.size() * s.dtype().byteSize();
            }
            if (v.hasNode() && !v.node().isFreed()) {
                for (Var in : v.node().inputs()) {
                    if (seen.put(in, Boolean.TRUE) == null) {
                        pending.push(in);
                    }
                }
            }
        }
        return bytes;
    }
}
