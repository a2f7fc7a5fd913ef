/**
 * File-system helpers shared by the other packages: {@link org.fwprune.core.io.AtomicFiles}
 * replaces a file or creates a folder so that a failed or interrupted write leaves no half-written
 * result behind.
 */
package org.fwprune.core.io;
