/**
 * Evaluation results ({@link org.fwprune.core.eval.Evaluation}) and inference timing of anything
 * that predicts a data set ({@link org.fwprune.core.eval.BatchPredictor}). The evaluator that runs
 * a graph is the engine, in {@code eval.internal}.
 */
package org.fwprune.core.eval;
