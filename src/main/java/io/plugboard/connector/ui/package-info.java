/** The connectors view: catalog, per-connector integration settings, tenant custom connectors. */
@NullMarked
package io.plugboard.connector.ui;

import org.jspecify.annotations.NullMarked;
