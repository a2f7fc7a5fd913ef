/**
 * ONNX's message classes ({@code Onnx.ModelProto} and the messages it holds), generated at build
 * time by protoc from {@code core/src/main/proto/onnx-subset.proto}, the subset of ONNX's schema
 * that the exporter writes. Not exported: no user type exposes them.
 */
package org.fwprune.core.onnx.internal.proto;
