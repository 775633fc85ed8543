package dev.hyperkron.gpu;

import static dev.hyperkron.gpu.Native.INT;
import static dev.hyperkron.gpu.Native.LONG;
import static dev.hyperkron.gpu.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** NVRTC, the run-time CUDA C++ compiler: turns kernel source strings into machine code for the device at hand. */
final class Nvrtc {
    private final MethodHandle createProgram;
    private final MethodHandle compileProgram;
    private final MethodHandle logSize;
    private final MethodHandle log;
    private final MethodHandle cubinSize;
    private final MethodHandle cubin;
    private final MethodHandle destroyProgram;
    private final MethodHandle errorString;

    Nvrtc(SymbolLookup lookup) {
        Native lib = new Native(lookup, "libnvrtc");
        createProgram = lib.status("nvrtcCreateProgram", PTR, PTR, PTR, INT, PTR, PTR);
        compileProgram = lib.status("nvrtcCompileProgram", PTR, INT, PTR);
        logSize = lib.status("nvrtcGetProgramLogSize", PTR, PTR);
        log = lib.status("nvrtcGetProgramLog", PTR, PTR);
        cubinSize = lib.status("nvrtcGetCUBINSize", PTR, PTR);
        cubin = lib.status("nvrtcGetCUBIN", PTR, PTR);
        destroyProgram = lib.status("nvrtcDestroyProgram", PTR);
        errorString = lib.handle("nvrtcGetErrorString", FunctionDescriptor.of(PTR, INT));
    }

    /** Compiles {@code source} for {@code sm_<arch>} (e.g. 90) and returns the CUBIN image; the exception carries the compiler log. */
    byte[] compile(String name, String source, int arch, List<String> extraOptions) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment programOut = arena.allocate(PTR);
            check((int) createProgram.invokeExact(programOut, arena.allocateFrom(source), arena.allocateFrom(name), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "nvrtcCreateProgram");
            MemorySegment program = programOut.get(PTR, 0);
            try {
                List<String> options = new java.util.ArrayList<>(List.of("--gpu-architecture=sm_" + arch, "-fmad=false"));
                options.addAll(extraOptions);
                MemorySegment optionArray = arena.allocate(PTR, options.size());
                for (int i = 0; i < options.size(); i++) {
                    optionArray.setAtIndex(PTR, i, arena.allocateFrom(options.get(i)));
                }
                int status = (int) compileProgram.invokeExact(program, options.size(), optionArray);
                if (status != 0) {
                    throw new CudaException("NVRTC could not compile " + name + " for sm_" + arch + " ("
                            + text(status) + "):\n" + programLog(arena, program));
                }
                MemorySegment size = arena.allocate(LONG);
                check((int) cubinSize.invokeExact(program, size), "nvrtcGetCUBINSize");
                MemorySegment image = arena.allocate(size.get(LONG, 0));
                check((int) cubin.invokeExact(program, image), "nvrtcGetCUBIN");
                return image.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            } finally {
                int ignored = (int) destroyProgram.invokeExact(programOut);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private String programLog(Arena arena, MemorySegment program) throws Throwable {
        MemorySegment size = arena.allocate(LONG);
        check((int) logSize.invokeExact(program, size), "nvrtcGetProgramLogSize");
        MemorySegment text = arena.allocate(size.get(LONG, 0) + 1);
        check((int) log.invokeExact(program, text), "nvrtcGetProgramLog");
        return text.getString(0);
    }

    private void check(int status, String call) {
        if (status != 0) {
            throw new CudaException(call + " failed: NVRTC error " + status + " (" + text(status) + ")");
        }
    }

    private String text(int status) {
        try {
            return ((MemorySegment) errorString.invokeExact(status)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "no error text";
        }
    }
}
