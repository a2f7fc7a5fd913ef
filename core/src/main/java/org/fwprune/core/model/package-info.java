/** Network definition: the fluent {@link org.fwprune.core.model.Cnn} builder, layer specifications, architecture, summary, save and load. */
package org.fwprune.core.model;
