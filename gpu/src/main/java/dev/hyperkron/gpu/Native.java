package dev.hyperkron.gpu;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Downcall handles for C functions of one library, with errors that name the missing symbol. */
final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private final SymbolLookup lookup;
    private final String library;

    Native(SymbolLookup lookup, String library) {
        this.lookup = lookup;
        this.library = library;
    }

    /** A handle for a function returning a C int status. */
    MethodHandle status(String name, MemoryLayout... args) {
        return handle(name, FunctionDescriptor.of(INT, args));
    }

    MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(lookup.find(name).orElseThrow(() -> new CudaException(
                library + " has no function " + name + ": the library is older or newer than this backend expects")),
                descriptor, options);
    }

    /** Wraps a Throwable from {@code invokeExact} (never expected from a C function) as unchecked. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new CudaException("native call failed", t);
    }
}
