package org.fwprune.examples.cli;

import org.fwprune.examples.sfw.FilterStudy;
import org.fwprune.examples.sfw.SfwStudyCommand;
import picocli.CommandLine.Command;

/**
 * {@code fwprune study NAME}: every research study, one subcommand each. {@code reproduce} (the
 * paper's experiment) is also reachable as {@code fwprune reproduce}, which README, CI and the
 * cluster scripts use.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
    description = "Run a research study: reproduce (the paper's experiment), sfw (any-sparsity"
        + " SFW, docs/sfw.md), sfw-filter (SFW with filter cuts, docs/sfw.md), structured"
        + " (structured pruning at equal FLOPs, docs/structured.md).",
    subcommands = {ReproduceCommand.class, SfwStudyCommand.class, FilterStudy.class,
        StructuredStudyCommand.class})
final class StudyCommand {}
