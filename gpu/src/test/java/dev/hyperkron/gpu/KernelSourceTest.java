package dev.hyperkron.gpu;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Strided;
import dev.hyperkron.core.StridedWalks;
import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * What can be checked of the CUDA kernels without a GPU: every kernel the Java code launches is
 * defined in kernels.cu, the Java layout of the walk struct is the C declaration's, and the
 * structs a walk is packed into (split over launches when it has more than eight axes) reach the
 * elements core's {@link Strided#position} names.
 */
class KernelSourceTest {
    private static final Path JAVA_SOURCES = Path.of("src/main/java/dev/hyperkron/gpu");

    @Example
    void everyKernelTheJavaCodeLaunchesIsDefinedInKernelsCu() throws IOException {
        // On a device machine without the sources (GpuTestMain), there is nothing to scan.
        Assume.that(Files.isDirectory(JAVA_SOURCES));
        TreeSet<String> defined = definedKernels(CudaDevice.kernelSource());
        TreeSet<String> launched = new TreeSet<>();
        Pattern launch = Pattern.compile("\\blaunch\\w*\\(\"(\\w+)\"([^,]*),");
        try (Stream<Path> files = Files.list(JAVA_SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = launch.matcher(Files.readString(file));
                while (m.find()) {
                    // launch(...), launchIndexed(...): each "+ suffix" after the literal appends _f32 or _f64.
                    List<String> names = List.of(m.group(1));
                    for (long plus = m.group(2).chars().filter(c -> c == '+').count(); plus > 0; plus--) {
                        names = names.stream().flatMap(n -> Stream.of(n + "_f32", n + "_f64")).toList();
                    }
                    launched.addAll(names);
                }
            }
        }
        for (String name : List.of("fill_f32", "convert_f64_f32", "copy_walk_f64", "binary_walk_f32", "select_walk_f64",
                "gather_f32", "scatter_add_f64", "unary_f32", "sum_partials_f32", "zero_upper_f64")) {
            assertTrue(launched.contains(name), "the scan of the launch sites missed " + name + ": " + launched);
        }
        TreeSet<String> missing = new TreeSet<>(launched);
        missing.removeAll(defined);
        assertTrue(missing.isEmpty(), "launched but not defined in kernels.cu: " + missing + " (defined: " + defined + ")");
    }

    @Example
    void theWalkStructsJavaLayoutIsItsCDeclaration() {
        String source = CudaDevice.kernelSource();
        Map<String, Integer> constants = new HashMap<>();
        Matcher define = Pattern.compile("#define\\s+(HK_WALK_\\w+)\\s+(\\d+)").matcher(source);
        while (define.find()) {
            constants.put(define.group(1), Integer.parseInt(define.group(2)));
        }
        assertEquals(StridedWalk.MAX_RANK, constants.get("HK_WALK_RANK"));
        assertEquals(StridedWalk.MAX_OPERANDS, constants.get("HK_WALK_OPERANDS"));
        Matcher struct = Pattern.compile("struct\\s+Walk\\s*\\{([^}]*)\\}").matcher(source);
        assertTrue(struct.find(), "no struct Walk in kernels.cu");
        List<String> names = new ArrayList<>();
        long offset = 0;
        Pattern field = Pattern.compile("int\\s+(\\w+)((?:\\s*\\[\\s*\\w+\\s*\\])*)");
        for (String declaration : struct.group(1).split(";")) {
            if (declaration.isBlank()) {
                continue;
            }
            Matcher f = field.matcher(declaration.strip());
            assertTrue(f.matches(), "struct Walk field '" + declaration.strip() + "' is not an int or int array:"
                    + " the layout check (no padding) assumes ints only");
            String name = f.group(1);
            List<Long> extents = new ArrayList<>();
            Matcher extent = Pattern.compile("\\[\\s*(\\w+)\\s*\\]").matcher(f.group(2));
            while (extent.find()) {
                String e = extent.group(1);
                extents.add((long) (e.matches("\\d+") ? Integer.parseInt(e) : constants.get(e)));
            }
            MemoryLayout java = StridedWalk.LAYOUT.select(groupElement(name));
            assertEquals(offset, StridedWalk.LAYOUT.byteOffset(groupElement(name)), "byte offset of " + name);
            assertEquals(extents, extentsOf(java), "array extents of " + name);
            long elements = extents.stream().reduce(1L, Math::multiplyExact);
            assertEquals(elements * Integer.BYTES, java.byteSize(), "byte size of " + name);
            names.add(name);
            offset += elements * Integer.BYTES;
        }
        assertEquals(List.of("rank", "dims", "strides", "offsets"), names);
        assertEquals(offset, StridedWalk.LAYOUT.byteSize(), "struct size");
        assertEquals(names.size(), StridedWalk.LAYOUT.memberLayouts().size(), "members");
    }

    @Property(tries = 300)
    void thePackedWalksReachTheElementsStridedNames(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int rank = 1 + r.nextInt(11);
        int operands = 2 + r.nextInt(3);
        int[] dims = new int[rank];
        int[][] strides = new int[operands][rank];
        int[] offsets = new int[operands];
        for (int i = 0; i < rank; i++) {
            dims[i] = rank > 8 ? 2 : 1 + r.nextInt(4); // no size-1 axes to drop: ranks 9 to 11 stay above one launch
            for (int k = 0; k < operands; k++) {
                strides[k][i] = r.nextInt(4) == 0 ? 0 : r.nextInt(-50, 50);
            }
        }
        for (int k = 0; k < operands; k++) {
            offsets[k] = r.nextInt(1000);
        }
        Strided walk = StridedWalks.of(dims, strides, offsets);
        long[] flat = {0};
        List<Long> launches = new ArrayList<>();
        StridedWalk.forEachLaunch(walk, (struct, n) -> {
            int[] v = struct.values();
            assertEquals(StridedWalk.LAYOUT.byteSize(), (long) v.length * Integer.BYTES);
            assertTrue(v[0] <= StridedWalk.MAX_RANK, "rank " + v[0]);
            launches.add(n);
            for (long i = 0; i < n; i++, flat[0]++) {
                for (int k = 0; k < walk.operands(); k++) {
                    assertEquals(walk.position(k, (int) flat[0]), position(v, k, i), walk + ", operand " + k + ", element " + flat[0]);
                }
                for (int k = walk.operands(); k < StridedWalk.MAX_OPERANDS; k++) {
                    assertEquals(0, position(v, k, i), "unused operand " + k);
                }
            }
        });
        assertEquals(walk.size(), flat[0], "elements walked");
        long expectedLaunches = 1;
        for (int i = 0; i < walk.rank() - StridedWalk.MAX_RANK; i++) {
            expectedLaunches *= walk.dim(i);
        }
        assertEquals(expectedLaunches, launches.size(), walk.toString());
    }

    @Example
    void anEmptyWalkLaunchesNothing() {
        Strided empty = StridedWalks.of(new int[] {3, 0, 2}, new int[][] {{0, 2, 1}, {6, 2, 1}}, new int[2]);
        StridedWalk.forEachLaunch(empty, (struct, n) -> {
            throw new AssertionError("launched " + n + " elements of an empty walk");
        });
    }

    @Example
    void theExtentOfAnOperandCoversNegativeAndZeroStrides() {
        Strided walk = StridedWalks.of(new int[] {3, 4}, new int[][] {{-4, 1}, {0, 2}}, new int[] {8, 5});
        assertArrayEquals(new long[] {0, 11}, StridedWalk.extent(walk, 0));
        assertArrayEquals(new long[] {5, 11}, StridedWalk.extent(walk, 1));
    }

    /** walk_positions in kernels.cu, on the packed ints. */
    private static long position(int[] v, int k, long flat) {
        int rankAt = index(groupElement("rank"));
        int dimsAt = index(groupElement("dims"));
        int stridesAt = index(groupElement("strides"));
        int offsetsAt = index(groupElement("offsets"));
        long p = v[offsetsAt + k];
        for (int i = v[rankAt] - 1; i >= 0; i--) {
            long d = v[dimsAt + i];
            p += (flat % d) * v[stridesAt + k * StridedWalk.MAX_RANK + i];
            flat /= d;
        }
        return p;
    }

    private static int index(MemoryLayout.PathElement path) {
        return (int) (StridedWalk.LAYOUT.byteOffset(path) / Integer.BYTES);
    }

    private static List<Long> extentsOf(MemoryLayout layout) {
        List<Long> extents = new ArrayList<>();
        while (layout instanceof SequenceLayout s) {
            extents.add(s.elementCount());
            layout = s.elementLayout();
        }
        assertEquals(ValueLayout.JAVA_INT.withoutName(), layout.withoutName(), "element type");
        return extents;
    }

    /** The extern "C" __global__ kernels of a CUDA source, with the instantiations of its macros expanded. */
    static TreeSet<String> definedKernels(String source) {
        String joined = source.replace("\\\n", " ");
        Pattern kernel = Pattern.compile("extern\\s+\"C\"\\s+__global__\\s+void\\s+([\\w#]+)\\s*\\(");
        Pattern macro = Pattern.compile("(?m)^#define\\s+(\\w+)\\(([^)]*)\\)(.*)$");
        TreeSet<String> names = new TreeSet<>();
        StringBuilder outside = new StringBuilder();
        Matcher m = macro.matcher(joined);
        int last = 0;
        while (m.find()) {
            outside.append(joined, last, m.start());
            last = m.end();
            List<String> params = List.of(m.group(2).split("\\s*,\\s*")).stream().map(String::strip).toList();
            List<String> templates = new ArrayList<>();
            Matcher k = kernel.matcher(m.group(3));
            while (k.find()) {
                templates.add(k.group(1));
            }
            if (templates.isEmpty()) {
                continue;
            }
            Matcher use = Pattern.compile("(?m)^" + m.group(1) + "\\(([^)]*)\\)").matcher(joined);
            while (use.find()) {
                List<String> args = List.of(use.group(1).split("\\s*,\\s*")).stream().map(String::strip).toList();
                for (String template : templates) {
                    StringBuilder name = new StringBuilder();
                    for (String part : template.split("##")) {
                        int at = params.indexOf(part);
                        name.append(at >= 0 ? args.get(at) : part);
                    }
                    names.add(name.toString());
                }
            }
        }
        outside.append(joined.substring(last));
        Matcher plain = kernel.matcher(outside);
        while (plain.find()) {
            names.add(plain.group(1));
        }
        return names;
    }
}
