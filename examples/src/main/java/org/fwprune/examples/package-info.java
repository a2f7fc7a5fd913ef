/**
 * Example programs of the fwprune library. Each {@code main} loads MNIST and calls a static
 * {@code run(...)} that takes its data and sizes and returns a small record, so that tests run
 * the same code on tiny data: {@link org.fwprune.examples.QuickStart} (train, prune, report),
 * {@link org.fwprune.examples.PruneWithEachMethod} (the four pruners on one trained network) and
 * {@link org.fwprune.examples.CompareMethods} (a small reproduction with tuned learning rates).
 * The command-line tool is in {@code org.fwprune.examples.cli}, the experiment in {@code
 * org.fwprune.examples.reproduce}.
 */
package org.fwprune.examples;
