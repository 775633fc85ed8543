package dev.hyperkron.core.io;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Arbitrary tensors for file round trips: every dtype, ranks 0 to 4 (scalars included),
 * dimensions 0 to 4 (empty tensors included), and element bit patterns drawn uniformly so
 * floats cover NaN, infinities, subnormals and negative zero.
 */
final class RandomTensors {
    private RandomTensors() {
    }

    static Arbitrary<Tensor> tensors(DType... dtypes) {
        return Combinators.combine(
                Arbitraries.of(dtypes.length == 0 ? DType.values() : dtypes),
                Arbitraries.integers().between(0, 4).list().ofMaxSize(4),
                Arbitraries.longs()).as(RandomTensors::tensor);
    }

    /** Names exercising JSON escapes and non-ASCII text: any code points but surrogates. */
    static Arbitrary<String> names() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().withChars("abcxyz._0123").ofMinLength(1).ofMaxLength(10),
                        codePointStrings(1, 6))
                .filter(n -> !n.equals("__metadata__"));
    }

    static Arbitrary<String> codePointStrings(int minLength, int maxLength) {
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x7F),
                Arbitraries.integers().between(0x80, 0xD7FF),
                Arbitraries.integers().between(0xE000, 0x10FFFF));
        return codePoint.list().ofMinSize(minLength).ofMaxSize(maxLength).map(cps -> cps.stream()
                .map(Character::toString).collect(Collectors.joining()));
    }

    static Tensor tensor(DType dtype, List<Integer> dims, long seed) {
        Shape shape = Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
        Storage storage = Storage.allocate(dtype, shape.size());
        Random random = new Random(seed);
        for (int i = 0; i < shape.size(); i++) {
            switch (dtype) {
                case F32 -> ((float[]) storage.array())[i] = Float.intBitsToFloat(random.nextInt());
                case F64 -> ((double[]) storage.array())[i] = Double.longBitsToDouble(random.nextLong());
                case I32 -> ((int[]) storage.array())[i] = random.nextInt();
                case I64 -> ((long[]) storage.array())[i] = random.nextLong();
                case U8 -> ((byte[]) storage.array())[i] = (byte) random.nextInt();
            }
        }
        return Tensor.wrap(storage, shape);
    }
}
