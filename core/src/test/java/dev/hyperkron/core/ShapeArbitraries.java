package dev.hyperkron.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Shapes for the op properties: rank 0..4, dimensions 0..5 with size 1 and size 0 common
 * enough that broadcasting and empty-tensor edge cases come up in every run.
 */
final class ShapeArbitraries {
    private ShapeArbitraries() {
    }

    static Arbitrary<Integer> dim() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(3, Arbitraries.just(1)),
                Tuple.of(8, Arbitraries.integers().between(2, 5)));
    }

    static Arbitrary<int[]> shape(int minRank, int maxRank) {
        return dims(dim(), minRank, maxRank);
    }

    /** Shapes without zero dimensions. */
    static Arbitrary<int[]> nonEmptyShape(int minRank, int maxRank) {
        return dims(Arbitraries.integers().between(1, 5), minRank, maxRank);
    }

    private static Arbitrary<int[]> dims(Arbitrary<Integer> dim, int minRank, int maxRank) {
        return dim.list().ofMinSize(minRank).ofMaxSize(maxRank)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    }

    static Arbitrary<DType> floating() {
        return Arbitraries.of(DType.F32, DType.F64);
    }

    /**
     * {@code count} shapes that broadcast together: each is a base shape with some leading
     * dimensions dropped and some dimensions replaced by 1 (so rank-0 operands occur too).
     */
    static Arbitrary<int[][]> broadcastable(int count) {
        return broadcastable(count, 4);
    }

    static Arbitrary<int[][]> broadcastable(int count, int maxRank) {
        return shape(0, maxRank).flatMap(base -> operandOf(base).list().ofSize(count)
                .map(l -> l.toArray(new int[0][])));
    }

    private static Arbitrary<int[]> operandOf(int[] base) {
        Arbitrary<Integer> drop = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(0, base.length)));
        Arbitrary<List<Boolean>> ones = Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true))
                .list().ofSize(base.length);
        return Combinators.combine(drop, ones).as((d, o) -> {
            int[] s = new int[base.length - d];
            for (int i = 0; i < s.length; i++) {
                s[i] = o.get(d + i) ? 1 : base[d + i];
            }
            return s;
        });
    }

    /** Two shapes that do not broadcast: some aligned pair of dimensions differs and neither is 1. */
    static Arbitrary<int[][]> incompatiblePair() {
        return Combinators.combine(shape(1, 4), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(2, 5), Arbitraries.integers().between(0, 2))
                .as((base, at, clash, drop) -> {
                    int[] a = base.clone();
                    int i = at % a.length;
                    if (a[i] < 2) {
                        a[i] = 2;
                    }
                    int[] b = a.clone();
                    b[i] = clash == a[i] ? a[i] + 1 : clash;
                    int d = Math.min(drop, i);
                    return new int[][] {a, java.util.Arrays.copyOfRange(b, d, b.length)};
                });
    }

    /** A set of axes of a tensor of the given rank, possibly negative, in shuffled order. */
    record Axes(int[] axes, boolean[] flags) {
        @Override
        public String toString() {
            return java.util.Arrays.toString(axes);
        }
    }

    static Arbitrary<Axes> axesOf(int rank) {
        Arbitrary<List<Boolean>> chosen = Arbitraries.of(true, false).list().ofSize(rank);
        Arbitrary<List<Boolean>> negative = Arbitraries.of(true, false).list().ofSize(rank);
        return Combinators.combine(chosen, negative, Arbitraries.longs()).as((c, neg, seed) -> {
            List<Integer> axes = new ArrayList<>();
            boolean[] flags = new boolean[rank];
            for (int i = 0; i < rank; i++) {
                if (c.get(i)) {
                    axes.add(neg.get(i) ? i - rank : i);
                    flags[i] = true;
                }
            }
            Collections.shuffle(axes, new Random(seed));
            return new Axes(axes.stream().mapToInt(Integer::intValue).toArray(), flags);
        });
    }

    /** A random axis in [-rank, rank) of a tensor of rank >= 1. */
    static Arbitrary<Integer> axis(int rank) {
        return Arbitraries.integers().between(-rank, rank - 1);
    }
}
