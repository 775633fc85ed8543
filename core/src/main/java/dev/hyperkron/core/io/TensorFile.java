package dev.hyperkron.core.io;

import dev.hyperkron.core.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of a safetensors file: named tensors in file order plus the free-form
 * string metadata of its {@code __metadata__} entry. Both maps are unmodifiable copies.
 */
public record TensorFile(Map<String, Tensor> tensors, Map<String, String> metadata) {

    public TensorFile {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        tensors.forEach((name, tensor) -> {
            if (name == null || tensor == null) {
                throw new IllegalArgumentException("TensorFile: null tensor name or tensor (name " + name + ")");
            }
        });
        metadata.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException("TensorFile: null metadata key or value (key " + key + ")");
            }
        });
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Tensors without metadata. */
    public static TensorFile of(Map<String, Tensor> tensors) {
        return new TensorFile(tensors, Map.of());
    }

    /** The tensor called {@code name}; an unknown name is an error that lists the names present. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("TensorFile: no tensor named \"" + name + "\"; present: " + tensors.keySet());
        }
        return t;
    }
}
