/** Evaluation: accuracy, mean cross-entropy and predictions on a data set. */
package org.fwprune.core.eval;
