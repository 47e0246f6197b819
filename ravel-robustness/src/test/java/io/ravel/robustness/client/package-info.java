/** HTTP clients of the admin that record every operation, and the concurrent workload they run. */
package io.ravel.robustness.client;
