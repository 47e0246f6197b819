/** Where replicas go and who leads each cluster: membership, replica placement and leader tracking. */
package io.ravel.admin.placement;
