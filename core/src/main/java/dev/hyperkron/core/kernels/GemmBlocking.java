package dev.hyperkron.core.kernels;

/**
 * The cache blocks of the packed GEMM: depth {@code kc} of a packed block, {@code mc} rows of a
 * packed block of op(A), and {@code nc} columns of packed op(B) per depth block (the packed
 * op(B) holds about kc x nc values). They follow from the cache sizes as in the BLIS analytical
 * model: a kc x NR micro-panel of op(B) is reused from L1 by every row panel, the mc x kc block
 * of op(A) from L2 by every column panel, and the packed op(B) from L3 by every row block.
 * Tests pass small blockings to reach every edge and tail with small matrices.
 */
record GemmBlocking(int kc, int mc, int nc) {
    /**
     * Share of L1 for the kc x NR micro-panel of op(B): all of it, because the op(A) panel and
     * the C tile it meets are small and stream through (kc 256 for a 16-float wide tile in 32 KiB
     * measured as fast as 384 and faster than 128 on a 2-core AVX-512 EPYC).
     */
    private static final double L1_SHARE = 1.0;
    /**
     * Share of L2 for the packed op(A) block; the rest holds the block of C that stays there
     * through all depth blocks and the op(B) micro-panels streaming through (150 rows of a
     * 1 MiB L2 measured at least as fast as 250, whose C blocks crowd L2 for deep products).
     */
    private static final double L2_SHARE = 0.15;
    /** Share of a core's L3 for the packed op(B). */
    private static final double L3_SHARE = 0.75;
    /**
     * Depths outside this range cost more in tile stores (below) or gained nothing measurable
     * (above: 384 for the 16-float tile of AVX2, which a 32 KiB L1 would allow, ran no faster
     * than 256 at 512^3 and 1024^3 here, forced to AVX2 with -XX:UseAVX=2).
     */
    private static final int MIN_KC = 128;
    private static final int MAX_KC = 256;

    GemmBlocking {
        if (kc < 1 || mc < 1 || nc < 1) {
            throw new IllegalArgumentException("GEMM blocks must be positive, got kc=" + kc + ", mc=" + mc + ", nc=" + nc);
        }
    }

    /** The blocking for caches of these sizes and an mr x nr micro-tile of elements this many bytes wide. */
    static GemmBlocking forCaches(CacheSizes caches, int elementBytes, int mr, int nr) {
        int kc = (int) (caches.l1Data() * L1_SHARE / ((long) nr * elementBytes)) / 16 * 16;
        kc = Math.max(MIN_KC, Math.min(MAX_KC, kc));
        int mc = Math.max(mr, (int) (caches.l2() * L2_SHARE / ((long) kc * elementBytes)) / mr * mr);
        int nc = Math.max(nr, (int) (caches.l3PerCore() * L3_SHARE / ((long) kc * elementBytes)) / nr * nr);
        return new GemmBlocking(kc, mc, nc);
    }
}
