/** Pruning masks as graph ops: magnitude re-thresholding inside the model graph. */
package org.fwprune.pruning.mask;
