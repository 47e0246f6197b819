/** Utilities shared by the admin's tests: free loopback ports. */
package io.ravel.admin.testutil;
