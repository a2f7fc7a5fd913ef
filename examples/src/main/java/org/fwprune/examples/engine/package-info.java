/**
 * The examples' only access to the library's engine (the packages that core's and fw-pruning's
 * module-info do not export): benchmarks that time engine pieces against plain TensorFlow
 * ({@link org.fwprune.examples.engine.PlainGraphLoop}, {@link
 * org.fwprune.examples.engine.ReferenceLoop}) and {@link org.fwprune.examples.engine.EngineProbe}.
 * Every other examples package uses the public API only ({@code ExamplesArchitectureTest}).
 */
package org.fwprune.examples.engine;
