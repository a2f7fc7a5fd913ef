/** Training: configuration, optimizers from tensorflow-framework, the training loop, batch sampling and listeners. */
package org.fwprune.core.train;
