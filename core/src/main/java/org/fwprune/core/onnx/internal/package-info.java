/**
 * The ONNX writer: an {@link org.fwprune.core.model.Architecture} and its weights as an ONNX
 * model ({@link OnnxExport}), one visitor for every kind of layer ({@link OnnxLayers}). The
 * message classes in {@code proto} are generated at build time from {@code
 * core/src/main/proto/onnx-subset.proto}. Knows nothing of sessions; not exported.
 */
package org.fwprune.core.onnx.internal;
