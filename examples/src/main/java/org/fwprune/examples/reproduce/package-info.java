/**
 * Reproduction of the paper's experiment: pre-train the paper's CNN, prune copies of its dense
 * checkpoints with every method under one gradient budget, and report test accuracy, loss,
 * density and inference time per pre-training budget.
 *
 * <p>{@link org.fwprune.examples.reproduce.Reproduction} runs a {@link
 * org.fwprune.examples.reproduce.ReproduceConfig} on injected data and networks and writes a
 * results folder ({@link org.fwprune.examples.reproduce.ResultsFolder}): {@code results.csv}
 * appended cell by cell, {@code run.json}, and reports rewritten from the csv ({@link
 * org.fwprune.examples.reproduce.Reports}). {@link org.fwprune.examples.reproduce.Merge} combines
 * the folders of shards. {@link org.fwprune.examples.reproduce.MethodRunner} is the one
 * definition of each compared method, the structured ones (whole filters removed, a smaller
 * network; run only when asked for) included.
 */
package org.fwprune.examples.reproduce;
