/**
 * The Frank-Wolfe step's user-visible choice, {@link org.fwprune.pruning.fw.SupportRule}; the step
 * itself, as graph ops, is the engine, in {@code fw.internal}.
 */
package org.fwprune.pruning.fw;
