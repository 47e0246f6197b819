/** A scenario run: workload, fault cycles, read-back, history check and the figures of the run. */
package io.ravel.robustness.run;
