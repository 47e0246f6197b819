/** Real daemons on their own hosts (loopback or network namespaces), and the faults done to them. */
package io.ravel.robustness.system;
