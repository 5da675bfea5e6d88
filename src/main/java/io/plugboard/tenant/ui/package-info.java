/** Portal views for users, tenants, API credentials and the customer-success tenant switch. */
@NullMarked
package io.plugboard.tenant.ui;

import org.jspecify.annotations.NullMarked;
