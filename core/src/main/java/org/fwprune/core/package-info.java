/**
 * The facade users hold: {@link org.fwprune.core.Cnn}, its fluent builder ({@link
 * org.fwprune.core.LayerChain}) and the preset networks built with it ({@link
 * org.fwprune.core.Architectures}, {@link org.fwprune.core.PaperNetwork}).
 *
 * <p>The facade lives in the module's root package rather than in a {@code facade} sub-package
 * so that the type every user imports has the shortest name ({@code org.fwprune.core.Cnn}) and
 * the root reads as the module's front door, as {@code org.fwprune.pruning} is for fw-pruning.
 * It is the top floor of core: it delegates to {@code runtime}, {@code train}, {@code eval},
 * {@code keras} and {@code store}, and none of them imports it back ({@code ArchitectureTest}
 * checks this). See {@code docs/architecture.md}.
 */
package org.fwprune.core;
