/**
 * The dashboard: the health of a tenant's connections (or the whole platform's) in numbers, charts and
 * lists that lead to action. Its numbers come from pre-aggregated tables (credential counts kept by triggers,
 * an hourly call-statistics roll-up) so they stay fast at millions of rows. Other features add tiles by
 * implementing {@link io.plugboard.dashboard.TileSource}. {@link io.plugboard.dashboard.DashboardService} is the door.
 */
@NullMarked
package io.plugboard.dashboard;

import org.jspecify.annotations.NullMarked;
