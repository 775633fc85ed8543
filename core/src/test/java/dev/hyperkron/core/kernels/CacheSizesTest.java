package dev.hyperkron.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheSizesTest {

    private static void cache(Path sysfs, int index, String level, String type, String size, String shared)
            throws IOException {
        Path dir = Files.createDirectories(sysfs.resolve("index" + index));
        Files.writeString(dir.resolve("level"), level + "\n");
        Files.writeString(dir.resolve("type"), type + "\n");
        Files.writeString(dir.resolve("size"), size + "\n");
        Files.writeString(dir.resolve("shared_cpu_list"), shared + "\n");
    }

    @Test
    void sysfsGivesDataCachesWithSharedLevelsDividedAmongTheirCpus(@TempDir Path dir) throws IOException {
        Path sysfs = dir.resolve("cache");
        cache(sysfs, 0, "1", "Data", "48K", "0,32");
        cache(sysfs, 1, "1", "Instruction", "32K", "0,32");
        cache(sysfs, 2, "2", "Unified", "2048K", "0,32");
        cache(sysfs, 3, "3", "Unified", "105M", "0-31,64-95");

        CacheSizes sizes = CacheSizes.detect(sysfs, dir.resolve("no-cpuinfo"));

        assertEquals(new CacheSizes(1 << 20, (105 << 20) / 64), sizes);
    }

    @Test
    void withoutSysfsAmdCpuinfoGivesTheL2AndEverythingElseDefaults(@TempDir Path dir) throws IOException {
        Path amd = Files.writeString(dir.resolve("amd"), "vendor_id\t: AuthenticAMD\ncache size\t: 1024 KB\n");
        Path intel = Files.writeString(dir.resolve("intel"), "vendor_id\t: GenuineIntel\ncache size\t: 33792 KB\n");

        assertEquals(new CacheSizes(1 << 20, CacheSizes.DEFAULT_L3_PER_CORE),
                CacheSizes.detect(dir.resolve("none"), amd));
        assertEquals(new CacheSizes(CacheSizes.DEFAULT_L2, CacheSizes.DEFAULT_L3_PER_CORE),
                CacheSizes.detect(dir.resolve("none"), intel));
    }

    @Test
    void sizesAndCpuListsParseInTheirUsualForms() {
        assertEquals(32 << 10, CacheSizes.parseSize("32K"));
        assertEquals(1 << 20, CacheSizes.parseSize(" 1024 KB"));
        assertEquals(32 << 20, CacheSizes.parseSize("32M"));
        assertEquals(0, CacheSizes.parseSize("lots"));
        assertEquals(8, CacheSizes.countCpus("0-3,8-11"));
        assertEquals(1, CacheSizes.countCpus("5"));
        assertEquals(1, CacheSizes.countCpus(null));
    }
}
