/**
 * The engine under the constraints: graph ops and plain-Java ranking the LMOs share, and the
 * magnitude threshold that turns Frank-Wolfe iterates into 0/1 masks. Not exported; see
 * docs/architecture.md.
 */
package org.fwprune.pruning.constraints.internal;
