/**
 * Tensor and metadata files without dependencies: a strict JSON reader/writer ({@link
 * dev.hyperkron.core.io.Json}), safetensors ({@link dev.hyperkron.core.io.Safetensors}) and
 * IDX ({@link dev.hyperkron.core.io.Idx}). Malformed files raise {@link
 * dev.hyperkron.core.io.TensorFileException}, whose message starts with the file.
 */
package dev.hyperkron.core.io;
