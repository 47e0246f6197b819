/** The admin group: several admins replicating the admin state with SOFAJRaft, and what each admin does in it. */
package io.ravel.admin.group;
