/** Pruning masks as graph ops: magnitude re-thresholding inside the model graph, and sparsity counting. */
package org.fwprune.pruning.mask;
