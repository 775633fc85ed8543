/**
 * Tensor and metadata files without dependencies: a strict JSON reader/writer ({@link
 * dev.hyperkron.core.io.Json}), safetensors ({@link dev.hyperkron.core.io.Safetensors}), IDX
 * ({@link dev.hyperkron.core.io.Idx}), NumPy .npy ({@link dev.hyperkron.core.io.Npy}) and the
 * weights and graph of ONNX models ({@link dev.hyperkron.core.io.Onnx}). Malformed files raise
 * {@link dev.hyperkron.core.io.TensorFileException}, whose message starts with the file.
 */
package dev.hyperkron.core.io;
