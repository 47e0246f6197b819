/** The Ravel cluster admin: routes client requests to clusters, tracks membership and leaders, relocates data. */
package io.ravel.admin;
