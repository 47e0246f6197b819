/** Client operations as recorded: what was asked, when, and what came back. */
package io.ravel.robustness.history;
