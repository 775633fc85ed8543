package dev.hyperkron.gpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Example;

/** A missing CUDA library is reported with the file names, the directories searched and how to point at the right one. */
class CudaLibrariesTest {

    @Example
    void aMissingLibraryNamesTheFilesThePropertyAndTheVariable() {
        CudaException e = assertThrows(CudaException.class,
                () -> CudaLibraries.fromEnvironment().open("test library", "libhyperkron-does-not-exist.so.1"));
        String m = e.getMessage();
        assertTrue(m.contains("libhyperkron-does-not-exist.so.1") && m.contains(CudaLibraries.PROPERTY)
                && m.contains(CudaLibraries.ENVIRONMENT), m);
    }
}
