package dev.hyperkron.core.kernels;

import static dev.hyperkron.core.kernels.GemmMicroKernelF32.MR;
import static dev.hyperkron.core.kernels.GemmMicroKernelF32.NR;

/**
 * Cache-blocked GEMM in the Goto/BLIS scheme: a block of op(B) of about KC x NC is packed to
 * stay in L3, an MC x KC block of op(A) to stay in L2, and the micro-kernel multiplies an
 * MR-row panel of the one by an NR-column panel (KC x NR, streamed from L2) of the other; KC,
 * MC and NC come from the caches the OS reports ({@link GemmBlocking}). Threads take the
 * blocks of a grid over C aligned to whole tiles, so every element of C is computed by the
 * same operations in the same order whatever the thread count. The F64 twin is generated from
 * this file at build time.
 */
// Its (float) casts are needed here but redundant in the generated F64 twin, where they read (double).
@SuppressWarnings("cast")
final class PackedGemmF32 {
    /** The blocking for this machine's caches and this micro-tile, chosen once. */
    static final GemmBlocking BLOCKING = GemmBlocking.forCaches(CacheSizes.DETECTED, Float.BYTES, MR, NR);
    /** Below this many multiply-adds, packing costs more than it saves: plain loops instead. */
    private static final long DIRECT_WORK = 4096;
    /** Cost of packing an element by a gather across rows, relative to a contiguous copy. */
    private static final int GATHER_COST = 4;
    /**
     * Multiply-adds a thread should get at least: a product with less than twice this stays on
     * the calling thread, a bigger one uses only as many threads as it has such shares, so that
     * a mid-sized product on a 16-core machine does not pay 16 hand-offs and 16 repacked
     * operands for microseconds of work each.
     */
    private static final long WORK_PER_THREAD = 1L << 18;
    /** Column blocks up to this wide multiply from op(A) in place (see readsAInPlace). */
    private static final int IN_PLACE_PANELS_MAX_COLUMNS = 16 * NR;
    /**
     * Cost of storing an element of C transposed (through the scratch tile, element by element),
     * relative to copying one element of a transposed op(B) into panels (see transposingPays).
     * Measured for x W^T shapes on both JDKs: computing C^T paid clearly where the copies it
     * saves exceed three stores per element of C (128 x 256 x 784: 1.05-1.15x), was mixed between
     * one and two (96 x 256 x 256: 1.05x on JDK 17, 0.92x on JDK 25) and lost below one.
     */
    private static final int TRANSPOSED_STORE_COST = 2;

    private final int kcMax;
    private final int mcMax;
    private final int ncMax;
    private final int m;
    private final int n;
    private final int k;
    private final float[] a;
    private final int aOff;
    private final int aAcross;
    private final int aAlong;
    private final float[] b;
    private final int bOff;
    private final int bAcross;
    private final int bAlong;
    private final float[] c;
    private final int cOff;
    private final int ldc;
    /** Whether this product computes C^T: element (i, j) of the C it works on is at c[cOff + j*ldc + i]. */
    private final boolean transposedC;
    private final float alpha;
    private final float beta;

    private PackedGemmF32(GemmBlocking blocking, boolean transA, boolean transB, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
                          float[] c, int cOff, int ldc, boolean transposedC) {
        this.kcMax = blocking.kc();
        this.mcMax = blocking.mc();
        this.ncMax = blocking.nc();
        this.m = m;
        this.n = n;
        this.k = k;
        this.a = a;
        this.aOff = aOff;
        this.aAcross = transA ? 1 : lda;
        this.aAlong = transA ? lda : 1;
        this.b = b;
        this.bOff = bOff;
        this.bAcross = transB ? ldb : 1;
        this.bAlong = transB ? 1 : ldb;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        this.transposedC = transposedC;
        this.alpha = alpha;
        this.beta = beta;
    }

    /** C = alpha * op(A) * op(B) + beta * C with the conventions of {@link TypedKernels#gemm}. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, double beta,
                     float[] c, int cOff, int ldc) {
        // Here rather than in the blocked GEMM, whose bytecode it would push past C2's inlining limit (5% slower).
        if (GemmDotKernelF32.pays(transA, n, k) && alpha != 0 && (long) m * n * k >= DIRECT_WORK) {
            GemmArguments.check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
            dots(transB, m, n, k, (float) alpha, a, aOff, lda, b, bOff, ldb, (float) beta, c, cOff, ldc);
            return;
        }
        gemm(BLOCKING, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The same with the given cache blocking instead of this machine's. */
    static void gemm(GemmBlocking blocking, boolean transA, boolean transB, int m, int n, int k, double alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, double beta,
                     float[] c, int cOff, int ldc) {
        GemmArguments.check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        long work = (long) m * n * k;
        PackedGemmF32 g = work >= DIRECT_WORK && k > 0 && alpha != 0 && transposingPays(transA, transB, m, n, k)
                // C^T = op(B)^T op(A)^T: the same sums, with the operands' roles swapped.
                ? new PackedGemmF32(blocking, !transB, !transA, n, m, k, (float) alpha, b, bOff, ldb,
                        a, aOff, lda, (float) beta, c, cOff, ldc, true)
                : new PackedGemmF32(blocking, transA, transB, m, n, k, (float) alpha, a, aOff, lda,
                        b, bOff, ldb, (float) beta, c, cOff, ldc, false);
        int threads = (int) Math.min(Parallel.threads(), work / WORK_PER_THREAD);
        boolean parallel = threads > 1;
        if (k == 0 || alpha == 0) {
            g.scaleC();
        } else if (work < DIRECT_WORK) {
            g.direct();
        } else if (!parallel) {
            g.blocked(0, g.m, 0, g.n);
        } else {
            g.partitioned(threads);
        }
    }

    /** A narrow C as dot products ({@link GemmDotKernelF32}), in shares of whole row tiles per thread. */
    private static void dots(boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int threads = (int) Math.min(Parallel.threads(), (long) m * n * k / WORK_PER_THREAD);
        float[] bt = b;
        int btOff = bOff;
        int ldbt = ldb;
        if (!transB) {
            // The columns of op(B) gathered into rows: n * k values, few next to the m * n * k multiply-adds.
            bt = GemmWorkspaceF32.current().packedB(n * k);
            GemmPackingF32.transpose(b, bOff, ldb, k, n, bt);
            btOff = 0;
            ldbt = k;
        }
        int rowTiles = ceilDiv(m, GemmDotKernelF32.ROWS);
        if (threads <= 1) {
            GemmDotKernelF32.multiply(0, m, n, k, alpha, a, aOff, lda, bt, btOff, ldbt, beta, c, cOff, ldc);
            return;
        }
        float[] columns = bt;
        int columnsAt = btOff;
        int ldColumns = ldbt;
        Parallel.forRange(rowTiles, ceilDiv(rowTiles, threads), (from, to) -> GemmDotKernelF32.multiply(
                from * GemmDotKernelF32.ROWS, Math.min(m, to * GemmDotKernelF32.ROWS), n, k, alpha, a, aOff, lda,
                columns, columnsAt, ldColumns, beta, c, cOff, ldc));
    }

    /**
     * Whether to compute C^T = op(B)^T op(A)^T instead of C. Two cases pay:
     * <ul>
     * <li>A C narrower than the tile's two vectors of columns but taller than them (the 10
     * outputs of a classifier's weight gradient, X^T dY): the padded columns waste most of
     * every tile, while the transposed product fills the vectors with the tall dimension. Only
     * for op(A) stored transposed, whose rows then pack as contiguous copies; an untransposed
     * op(A) would have to be gathered column by column, which costs more than it saves.
     * <li>x W^T (op(A) untransposed, op(B) transposed): both operands run along k, so one of
     * them is copied transposed into panels (the other is read in place). As given, that is
     * op(B), n x k values; computed transposed, op(A), m x k values, at the price of storing C
     * transposed. A layer's forward pass on a batch smaller than its width (128 x 256 x 784)
     * halves its copies so; 32 x 1024 x 1024 ran 2-3x as fast.
     * </ul>
     */
    private static boolean transposingPays(boolean transA, boolean transB, int m, int n, int k) {
        if (!transA && transB) {
            return (long) (n - m) * k > TRANSPOSED_STORE_COST * (long) m * n;
        }
        if (!transA || n >= NR) {
            return false;
        }
        double asIs = (double) n / roundUp(n, NR) * m / roundUp(m, MR);
        double transposed = (double) m / roundUp(m, NR) * n / roundUp(n, MR);
        return transposed > 1.5 * asIs;
    }

    /**
     * Splits C into a grid of row blocks (whole MR panels) by column blocks (whole NR panels), one
     * block per thread, and multiplies the blocks in parallel. Each block packs its own rows of
     * op(A) and columns of op(B), so the grid is the one that minimizes the busiest thread's
     * estimated time: its multiply-adds (LANES per vector operation) plus the packing it repeats
     * (a panel gathered across rows costs about four times one copied from contiguous runs,
     * op(A) read in place costs nothing). With many threads this is a 2-D grid, which packs far
     * less than giving every thread all of op(A) or all of op(B).
     */
    private void partitioned(int threads) {
        int rowPanels = ceilDiv(m, MR);
        int columnPanels = ceilDiv(n, NR);
        int bestRows = 1;
        int bestColumns = 1;
        double bestTime = Double.POSITIVE_INFINITY;
        for (int rows = 1; rows <= Math.min(threads, rowPanels); rows++) {
            int columns = Math.min(threads / rows, columnPanels);
            long blockRows = (long) ceilDiv(rowPanels, rows) * MR;
            long blockColumns = (long) ceilDiv(columnPanels, columns) * NR;
            long perRowOfA = readsAInPlace((int) Math.min(blockColumns, n)) ? 0 : aAcross == 1 ? 1 : GATHER_COST;
            long perColumnOfB = bAcross == 1 ? 1 : GATHER_COST;
            double time = (double) blockRows * blockColumns * k / GemmMicroKernelF32.LANES
                    + (double) k * (blockRows * perRowOfA + blockColumns * perColumnOfB);
            // Strictly faster only: among equals, the fewest row blocks, as the 1-D split preferred columns.
            if (time < bestTime) {
                bestTime = time;
                bestRows = rows;
                bestColumns = columns;
            }
        }
        int gridRows = bestRows;
        int gridColumns = bestColumns;
        Parallel.forRange(gridRows * gridColumns, 1, (from, to) -> {
            for (int block = from; block < to; block++) {
                int r = block / gridColumns;
                int q = block % gridColumns;
                int i0 = Math.min(m, rowPanels * r / gridRows * MR);
                int i1 = Math.min(m, rowPanels * (r + 1) / gridRows * MR);
                int j0 = Math.min(n, columnPanels * q / gridColumns * NR);
                int j1 = Math.min(n, columnPanels * (q + 1) / gridColumns * NR);
                if (i0 < i1 && j0 < j1) {
                    blocked(i0, i1, j0, j1);
                }
            }
        });
    }

    /**
     * The product restricted to rows [i0, i1) and columns [j0, j1) of C, on this thread. All
     * depth blocks of op(B) for a block of columns are packed up front, so that each MC-row
     * block of C gets its whole depth while it is still in cache instead of being read back from
     * memory once per depth block; the column blocks shrink as k grows to keep the packed op(B)
     * at about KC x NC, and only products too deep even for NR columns are packed in groups of
     * depth blocks.
     */
    private void blocked(int i0, int i1, int j0, int j1) {
        GemmWorkspaceF32 ws = GemmWorkspaceF32.current();
        // Equal depth blocks: a thin last one would pay the per-tile overhead for little work.
        int depthBlocks = ceilDiv(k, kcMax);
        int depthBlock = ceilDiv(k, depthBlocks);
        int widest = Math.max(NR, ncMax / depthBlocks / NR * NR);
        // Rows of op(A) per block: as many as fill the L2 share of mc x kc values at this depth.
        int rowsForDepth = (int) Math.min(Integer.MAX_VALUE, (long) mcMax * kcMax / depthBlock) / MR * MR;
        int rowBlock = Math.min(roundUp(i1 - i0, MR), Math.max(MR, rowsForDepth));
        int columnBlock = roundUp(ceilDiv(j1 - j0, ceilDiv(j1 - j0, widest)), NR);
        for (int jc = j0; jc < j1; jc += columnBlock) {
            int nc = Math.min(columnBlock, j1 - jc);
            int packedWidth = roundUp(nc, NR);
            // All of k at once, unless that packs more than about KC x NC (very deep products).
            int groupDepth = (int) Math.max(1, (long) kcMax * ncMax / packedWidth / depthBlock) * depthBlock;
            for (int pg = 0; pg < k; pg += groupDepth) {
                int groupEnd = Math.min(k, pg + groupDepth);
                float[] bp = ws.packedB(packedWidth * (groupEnd - pg));
                for (int pc = pg; pc < groupEnd; pc += depthBlock) {
                    GemmPackingF32.packB(b, bOff + pc * bAlong + jc * bAcross, bAcross, bAlong, nc,
                            Math.min(depthBlock, groupEnd - pc), bp, (pc - pg) * packedWidth);
                }
                for (int ic = i0; ic < i1; ic += rowBlock) {
                    int mc = Math.min(rowBlock, i1 - ic);
                    int cAt = transposedC ? cOff + jc * ldc + ic : cOff + ic * ldc + jc;
                    for (int pc = pg; pc < groupEnd; pc += depthBlock) {
                        int kc = Math.min(depthBlock, groupEnd - pc);
                        int bAt = (pc - pg) * packedWidth;
                        // Later depth blocks accumulate onto what the first one wrote.
                        float betaHere = pc == 0 ? beta : 1f;
                        int aAt = aOff + ic * aAcross + pc * aAlong;
                        int whole = mc - mc % MR;
                        if (readsAInPlace(nc)) {
                            // Whole panels are read where they are; only a partial last one is packed.
                            float[] edge = ws.packedA(MR * kc);
                            GemmPackingF32.packA(a, aAt + whole * aAcross, aAcross, aAlong, mc - whole, kc, edge);
                            sweep(a, aAt, aAcross, aAcross, aAlong, edge, 0, bp, bAt, mc, nc, kc, cAt, betaHere,
                                    ws.tile);
                        } else {
                            float[] ap = ws.packedA(roundUp(mc, MR) * kc);
                            GemmPackingF32.packA(a, aAt, aAcross, aAlong, mc, kc, ap);
                            sweep(ap, 0, kc, 1, MR, ap, whole * kc, bp, bAt, mc, nc, kc, cAt, betaHere, ws.tile);
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether to multiply from op(A) where it is rather than from a packed copy, given the
     * width of the column block that reuses it: the kernels read either layout at full speed
     * (transposed, op(A) has the panel layout with lda instead of MR between k indices; not
     * transposed, its rows run along k), so copying pays off only for a wide C, whose many
     * column panels reread each panel of op(A) (on JDK 17, reading rows in place instead of
     * packing them sped 512^3 to 2048^3 up by 6-11 %), or where this JIT reads untransposed rows
     * slowly ({@link GemmMicroKernelF32#ROWS_IN_PLACE_AT_FULL_SPEED}).
     */
    private boolean readsAInPlace(int nc) {
        return nc <= IN_PLACE_PANELS_MAX_COLUMNS && (aAlong != 1 || GemmMicroKernelF32.ROWS_IN_PLACE_AT_FULL_SPEED);
    }

    /**
     * Sweeps the micro-kernel over an mc x nc block of C. The panel of op(A) rows ir..ir+MR-1
     * has its element (r, p) at as[aAt + ir*perRow + r*across + p*along]; a last panel with
     * fewer than MR rows is read packed from edge[edgeAt..]. The packed op(B) starts at bp[bAt].
     */
    private void sweep(float[] as, int aAt, int perRow, int across, int along, float[] edge, int edgeAt, float[] bp,
                       int bAt, int mc, int nc, int kc, int cAt, float betaHere, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int bPanel = bAt + jr * kc;
                if (rows == MR && cols == NR && !transposedC && betaHere == 0) {
                    // A whole tile that overwrites C: straight into C, without the scratch tile.
                    GemmMicroKernelF32.multiply(kc, as, aAt + ir * perRow, across, along, bp, bPanel,
                            c, cAt + ir * ldc + jr, ldc, alpha);
                    continue;
                }
                if (rows < MR) {
                    GemmMicroKernelF32.multiply(kc, edge, edgeAt, 1, MR, bp, bPanel, tile, 0, NR, 1f);
                } else {
                    GemmMicroKernelF32.multiply(kc, as, aAt + ir * perRow, across, along, bp, bPanel, tile, 0, NR, 1f);
                }
                if (transposedC) {
                    GemmMicroKernelF32.storeTransposed(tile, rows, cols, alpha, betaHere, c, cAt + jr * ldc + ir, ldc);
                } else {
                    GemmMicroKernelF32.store(tile, rows, cols, alpha, betaHere, c, cAt + ir * ldc + jr, ldc);
                }
            }
        }
    }

    /** Tiny products: straight dot products, no packing. */
    private void direct() {
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * aAcross;
            int cRow = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                int bCol = bOff + j * bAcross;
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aRow + p * aAlong], b[bCol + p * bAlong], sum);
                }
                c[cRow + j] = beta == 0 ? sum * alpha : Math.fma(sum, alpha, c[cRow + j] * beta);
            }
        }
    }

    /** C = beta * C, for products with nothing to add (k == 0 or alpha == 0). */
    private void scaleC() {
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            if (beta == 0) {
                java.util.Arrays.fill(c, cRow, cRow + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[cRow + j] *= beta;
                }
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
