/**
 * Training as a user sets it up and reads it back: {@link org.fwprune.core.train.Training},
 * optimizers, learning-rate schedules, listeners and the per-epoch {@link
 * org.fwprune.core.train.History}. The loop that runs it is the engine, in {@code train.internal}.
 */
package org.fwprune.core.train;
