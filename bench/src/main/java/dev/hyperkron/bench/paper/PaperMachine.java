package dev.hyperkron.bench.paper;

import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.Parallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Where a paper run ran: processor, cores, memory, JDK, kernels and threads, for the report's header. */
public final class PaperMachine {
    private PaperMachine() {
    }

    /** Label to value, in reading order. */
    public static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("processor", cpuModel());
        m.put("cores (available to the JVM)", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("heap limit", String.format(java.util.Locale.ROOT, "%.1f GB", Runtime.getRuntime().maxMemory() / 1e9));
        m.put("JDK", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        m.put("operating system", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        m.put("kernels", Kernels.active().name());
        m.put("threads", Integer.toString(Parallel.threads()));
        return m;
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst().orElse("unknown");
            } catch (IOException | java.io.UncheckedIOException e) {
                return "unknown (" + e.getMessage() + ")";
            }
        }
        return System.getProperty("os.arch");
    }
}
