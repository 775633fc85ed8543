package dev.hyperkron.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    private Path file(String name, ByteFixture bytes) throws IOException {
        return bytes.writeTo(dir.resolve(name));
    }

    private TensorFileException rejects(String name, ByteFixture bytes, String... phrases) throws IOException {
        Path file = file(name, bytes);
        TensorFileException e = assertThrows(TensorFileException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), "message must name the file: " + e.getMessage());
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void readsWhatNumpyWritesForAnInt64Vector() throws IOException {
        // The exact bytes of numpy.save("x.npy", numpy.array([3, -1], dtype=numpy.int64)).
        ByteFixture f = new ByteFixture().bytes(0x93).utf8("NUMPY").bytes(1, 0, 0x76, 0)
                .utf8("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }").spaces(60).utf8("\n")
                .u64le(3).u64le(-1);
        assertEquals(144, f.size());
        assertEquals(Tensor.of(new long[] {3, -1}), Npy.read(file("x.npy", f)));
    }

    @Test
    void widensHalfFloatsSmallAndUnsignedIntegersAndBooleansAndReadsBigEndian() throws IOException {
        assertEquals(Tensor.of(new float[] {1f, -2f}), Npy.read(file("f2.npy",
                NpyFixture.header(1, NpyFixture.dict("<f2", "False", 2)).bytes(0x00, 0x3C, 0x00, 0xC0))));
        assertEquals(Tensor.of(new int[] {-2, 300}), Npy.read(file("i2.npy",
                NpyFixture.header(1, NpyFixture.dict(">i2", "False", 2)).bytes(0xFF, 0xFE, 0x01, 0x2C))));
        assertEquals(Tensor.of(new long[] {4294967295L}), Npy.read(file("u4.npy",
                NpyFixture.header(2, NpyFixture.dict("<u4", "False", 1)).bytes(0xFF, 0xFF, 0xFF, 0xFF))));
        assertEquals(Tensor.of(new byte[] {1, 0, 1}), Npy.read(file("b1.npy",
                NpyFixture.header(3, NpyFixture.dict("|b1", "False", 3)).bytes(1, 0, 1))));
        assertEquals(Tensor.of(new double[] {Math.E}), Npy.read(file("f8be.npy",
                NpyFixture.header(1, NpyFixture.dict(">f8", "False", 1)).f64be(Math.E))));
    }

    @Test
    void readsScalarsAndEmptyArrays() throws IOException {
        Tensor scalar = Npy.read(file("scalar.npy", NpyFixture.header(1, NpyFixture.dict("<f4", "False")).f32le(2.5f)));
        assertEquals(Shape.scalar(), scalar.shape());
        assertEquals(2.5, scalar.storage().getDouble(0));
        assertEquals(Tensor.zeros(DType.I32, 0, 3), Npy.read(file("empty.npy",
                NpyFixture.header(1, NpyFixture.dict("<i4", "False", 0, 3)))));
    }

    @Test
    void rejectsFortranOrderObjectStringAndStructuredArraysNamingTheField() throws IOException {
        rejects("fortran.npy", NpyFixture.header(1, NpyFixture.dict("<f4", "True", 1)).f32le(1f),
                "fortran_order is True", "not supported");
        rejects("object.npy", NpyFixture.header(1, NpyFixture.dict("|O", "False", 1)).u64le(0),
                "descr '|O' is not supported", "pickled Python objects");
        rejects("strings.npy", NpyFixture.header(1, NpyFixture.dict("<U5", "False", 1)), "descr '<U5' is not supported");
        rejects("u8.npy", NpyFixture.header(1, NpyFixture.dict("<u8", "False", 1)).u64le(1), "descr '<u8' is not supported");
        rejects("record.npy", NpyFixture.header(1, "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }"),
                "structured (record) arrays are not supported");
        rejects("native.npy", NpyFixture.header(1, NpyFixture.dict("=f4", "False", 1)).f32le(1f),
                "descr '=f4' does not start with a byte order");
    }

    @Test
    void rejectsBadMagicVersionsHeadersAndSizes() throws IOException {
        rejects("text.npy", new ByteFixture().utf8("label\n1\n2\n"), "not a NumPy .npy file");
        rejects("short.npy", new ByteFixture().bytes(0x93).utf8("NUM"), "not a NumPy .npy file", "only 4 bytes");
        rejects("v4.npy", new ByteFixture().bytes(0x93).utf8("NUMPY").bytes(4, 0, 0, 0), "format version 4.0 is not supported");
        rejects("keys.npy", NpyFixture.header(1, "{'descr': '<f4', 'shape': (1,), }"),
                "exactly the keys descr, fortran_order and shape");
        rejects("syntax.npy", NpyFixture.header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,) "),
                "not a Python dict literal");
        rejects("shape.npy", NpyFixture.header(1, NpyFixture.dict("<f4", "False", 2)).f32le(1f),
                "truncated", "shape [2] of '<f4' needs 2 x 4 = 8 data bytes but the file has 4");
        rejects("trailing.npy", NpyFixture.header(1, NpyFixture.dict("<f4", "False", 1)).f32le(1f).f32le(2f),
                "needs 1 x 4 = 4 data bytes but the file has 8");
        rejects("negative.npy", NpyFixture.header(1, NpyFixture.dict("<f4", "False", -1)), "dimension 0 = -1");
    }

    @Test
    void readsTheTrecNoisyLabelsWhenTheSharedDataIsPresent() throws IOException {
        Path labels = Path.of("../../shared/data/trec/hard_labels.npy");
        assumeTrue(Files.exists(labels), "TREC data not found at " + labels.toAbsolutePath() + "; skipping");
        Tensor noisy = Npy.read(labels);
        assertEquals(DType.I64, noisy.dtype());
        assertEquals(Shape.of(5033), noisy.shape());
    }
}
