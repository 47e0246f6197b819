/** The admin's HTTP API: key routes for clients, health, metrics and cluster status for operators. */
package io.ravel.admin.http;
