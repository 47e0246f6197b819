/** Helpers shared by the admin's tests. */
package io.ravel.admin.testutil;
