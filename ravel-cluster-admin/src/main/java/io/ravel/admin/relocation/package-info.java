/** Moves partitions between clusters when clusters join or leave, resumably, holding only the partition in motion. */
package io.ravel.admin.relocation;
