package dev.hyperkron.core.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The data cache sizes one core can count on, in bytes, as the operating system reports them:
 * the packed GEMM sizes its blocks from these, so that the same code blocks for a laptop's
 * caches and for a server's. A shared level counts with its share per core. Where the OS says
 * nothing (other systems, restricted containers) the sizes default to those of a current x86
 * server core.
 */
record CacheSizes(int l2, int l3PerCore) {
    static final int DEFAULT_L2 = 1 << 20;
    static final int DEFAULT_L3_PER_CORE = 4 << 20;

    /** This machine's sizes, read once. */
    static final CacheSizes DETECTED = detect(Path.of("/sys/devices/system/cpu/cpu0/cache"), Path.of("/proc/cpuinfo"));

    CacheSizes {
        if (l2 <= 0 || l3PerCore <= 0) {
            throw new IllegalArgumentException("cache sizes must be positive, got L2=" + l2 + ", L3 per core="
                    + l3PerCore);
        }
    }

    /**
     * Reads Linux's sysfs cache description under {@code sysfs} (index0, index1, ...: level,
     * type, size and the CPUs sharing it) for levels 2 and 3. Without it, the L2 size is taken
     * from the "cache size" line of {@code cpuinfo} on AMD processors, where that line is the
     * per-core L2 (on Intel it is the shared L3, so it is not used there); every other size
     * keeps its default.
     */
    static CacheSizes detect(Path sysfs, Path cpuinfo) {
        int l2 = 0;
        int l3 = 0;
        for (int index = 0; index < 8; index++) {
            Path dir = sysfs.resolve("index" + index);
            String level = read(dir.resolve("level"));
            String type = read(dir.resolve("type"));
            int size = parseSize(read(dir.resolve("size")));
            if (level == null || type == null || size <= 0 || type.equals("Instruction")) {
                continue;
            }
            int sharing = countCpus(read(dir.resolve("shared_cpu_list")));
            switch (level) {
                case "2" -> l2 = size / Math.max(1, sharing);
                case "3" -> l3 = size / Math.max(1, sharing);
                default -> {
                }
            }
        }
        if (l2 == 0) {
            l2 = amdL2FromCpuinfo(cpuinfo);
        }
        return new CacheSizes(l2 > 0 ? l2 : DEFAULT_L2, l3 > 0 ? l3 : DEFAULT_L3_PER_CORE);
    }

    private static int amdL2FromCpuinfo(Path cpuinfo) {
        try {
            List<String> lines = Files.readAllLines(cpuinfo, StandardCharsets.UTF_8);
            boolean amd = lines.stream().anyMatch(l -> l.startsWith("vendor_id") && l.contains("AuthenticAMD"));
            if (!amd) {
                return 0;
            }
            return lines.stream().filter(l -> l.startsWith("cache size")).findFirst()
                    .map(l -> parseSize(l.substring(l.indexOf(':') + 1))).orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "48K", "1024 KB", "32M" or plain bytes; 0 when unreadable. */
    static int parseSize(String text) {
        if (text == null) {
            return 0;
        }
        String s = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        int unit = 1;
        if (s.endsWith("K")) {
            unit = 1 << 10;
        } else if (s.endsWith("M")) {
            unit = 1 << 20;
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            long bytes = Long.parseLong(s) * unit;
            return bytes > 0 && bytes <= Integer.MAX_VALUE ? (int) bytes : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The number of CPUs in a list such as "0-3,8-11"; 1 when unreadable. */
    static int countCpus(String list) {
        if (list == null || list.isBlank()) {
            return 1;
        }
        int count = 0;
        try {
            for (String part : list.trim().split(",")) {
                int dash = part.indexOf('-');
                count += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1).trim())
                        - Integer.parseInt(part.substring(0, dash).trim()) + 1;
            }
        } catch (NumberFormatException e) {
            return 1;
        }
        return Math.max(1, count);
    }
}
