/**
 * fwprune fw-pruning: Frank-Wolfe, magnitude, SFW and structured pruning of fwprune networks.
 *
 * <p>Exported to every user: the pruners and their report ({@code org.fwprune.pruning}), the
 * constraints, schedules, scopes, gradient transforms, the SFW trainer, structured pruning and
 * the Frank-Wolfe support rule. The engine (the Frank-Wolfe step, mask ops, filter surgery and the
 * constraints' shared graph ops) stays in packages that are not exported
 * (docs/architecture.md, "What is exported").
 */
module org.fwprune.pruning {
  requires transitive org.fwprune.core;
  requires com.google.common;

  exports org.fwprune.pruning;
  exports org.fwprune.pruning.catalogue;
  exports org.fwprune.pruning.constraints;
  exports org.fwprune.pruning.fw;
  exports org.fwprune.pruning.schedule;
  exports org.fwprune.pruning.scope;
  exports org.fwprune.pruning.sfw;
  exports org.fwprune.pruning.structured;
  exports org.fwprune.pruning.transform;
}
