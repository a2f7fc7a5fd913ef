/**
 * The grid runner every study shares: a study is a {@link
 * org.fwprune.examples.study.StudyRecipe} (its cells in a fixed order, how one cell is measured
 * with the library's builders, and how its rows are written), and {@link
 * org.fwprune.examples.study.GridRunner} runs the cells of one shard, skips those a previous run
 * already wrote (resume), keeps the rows file current after every cell, and merges the files of
 * several shards. See docs/architecture.md, "Adding a study".
 */
package org.fwprune.examples.study;
