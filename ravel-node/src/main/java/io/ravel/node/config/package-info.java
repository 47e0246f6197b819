/** A replica's settings (flags, YAML, defaults) and the identity it keeps in its storage dir. */
package io.ravel.node.config;
