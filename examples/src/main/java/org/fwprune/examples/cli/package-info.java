/**
 * The {@code fwprune} command-line tool ({@link org.fwprune.examples.cli.FwpruneCli}), built with
 * picocli: {@code train}, {@code prune}, {@code evaluate}, {@code export}, {@code reproduce},
 * {@code merge} and {@code memory}. Commands parse and check options and print; the work lives in
 * the library and in {@code org.fwprune.examples.reproduce}.
 */
package org.fwprune.examples.cli;
