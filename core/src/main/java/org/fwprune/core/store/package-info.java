/**
 * fwprune's own model folder format: {@code model.json} (the architecture's JSON form and the
 * variable list) plus a checksummed weights file, written atomically. Sits below the facade,
 * which gathers the weights from its session and hands them over, so that saving and loading
 * know nothing of sessions.
 */
package org.fwprune.core.store;
