/** The linearizability checker: a register model per key and a Wing-Gong-Lowe search with a budget. */
package io.ravel.robustness.checker;
