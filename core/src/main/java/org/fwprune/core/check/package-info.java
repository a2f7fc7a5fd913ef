/**
 * Argument checks shared by every module: {@link org.fwprune.core.check.Require} checks that a
 * setting lies in its allowed range and throws with a message that names the setting, the range
 * and the value, so that every builder words the same check the same way.
 */
package org.fwprune.core.check;
