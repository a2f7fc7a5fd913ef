/** The owner of a model's TensorFlow graph and session, and the helpers that move data in and out of it; used by training, evaluation and extension modules. */
package org.fwprune.core.runtime;
