package dev.hyperkron.core.kernels;

/**
 * The cache blocks of the packed GEMM: depth {@code kc} of a packed block, {@code mc} rows of a
 * block of op(A), and {@code nc} columns of packed op(B) per depth block (the packed op(B) holds
 * about kc x nc values). The micro-kernel sweeps an mc x kc block of op(A), kept in L2, against
 * the kc x NR micro-panels of op(B), which stream from L2 too: an L2 feeds a core 32 to 64 bytes
 * a cycle, several times the 11 to 21 the tile consumes, so L1 need not hold a micro-panel. That
 * allows deep blocks, and depth is what pays: every depth block after the first sends the C
 * tile through memory once more (read, add, write back), which took 9 % of a 2048^3 product at
 * kc = 256 in JFR. The packed op(B) stays in the core's share of L3 for every row block. Tests
 * pass small blockings to reach every edge and tail with small matrices.
 */
record GemmBlocking(int kc, int mc, int nc) {
    /**
     * Share of L2 for the kc x NR micro-panel of op(B): an eighth, 128 KiB of a 1 MiB L2, which
     * gives kc = 1024 for the 32-float tile of AVX-512.
     */
    private static final double B_PANEL_L2_SHARE = 1.0 / 8;
    /**
     * Share of L2 for the block of op(A), beside the micro-panel of op(B) and the tiles of C
     * passing through (at kc = 1024, 24 to 96 rows measured alike on Zen 5; 48 at least as fast
     * as 24 on JDK 25).
     */
    private static final double A_BLOCK_L2_SHARE = 0.2;
    /** Share of a core's L3 for the packed op(B). */
    private static final double L3_SHARE = 0.75;
    /** Depth for caches too small for the model (each depth block costs a pass over C). */
    private static final int MIN_KC = 128;
    /**
     * Deepest block: on a 2-core Zen 5 (1 MiB L2), 1024 against 256 ran 512^3 to 2048^3 1.06 to
     * 1.11x as fast on JDK 17, 1.00 to 1.06x on JDK 25 and 1.02 to 1.09x with AVX2 (-XX:UseAVX=2);
     * 2048 gained no more and would stream op(B) from L3 for every few rows of op(A).
     */
    private static final int MAX_KC = 1024;

    GemmBlocking {
        if (kc < 1 || mc < 1 || nc < 1) {
            throw new IllegalArgumentException("GEMM blocks must be positive, got kc=" + kc + ", mc=" + mc + ", nc=" + nc);
        }
    }

    /** The blocking for caches of these sizes and an mr x nr micro-tile of elements this many bytes wide. */
    static GemmBlocking forCaches(CacheSizes caches, int elementBytes, int mr, int nr) {
        int kc = (int) (caches.l2() * B_PANEL_L2_SHARE / ((long) nr * elementBytes)) / 16 * 16;
        kc = Math.max(MIN_KC, Math.min(MAX_KC, kc));
        int mc = Math.max(mr, (int) (caches.l2() * A_BLOCK_L2_SHARE / ((long) kc * elementBytes)) / mr * mr);
        int nc = Math.max(nr, (int) (caches.l3PerCore() * L3_SHARE / ((long) kc * elementBytes)) / nr * nr);
        return new GemmBlocking(kc, mc, nc);
    }
}
