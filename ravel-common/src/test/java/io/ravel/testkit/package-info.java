/** Helpers every module's tests share (free ports, deadline-bound waits), published as ravel-common's test-jar. */
package io.ravel.testkit;
