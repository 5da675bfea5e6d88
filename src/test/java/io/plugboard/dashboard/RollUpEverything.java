package io.plugboard.dashboard;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** For tests and benchmarks outside this package: rolls every call logged so far up, as the job would. */
public final class RollUpEverything {

    private RollUpEverything() {
    }

    /** Returns how many calls were rolled up by this call (the scheduled job may do part of the work meanwhile). */
    public static long now(ApplicationContext context) {
        Long last = context.getBean(JdbcTemplate.class).queryForObject("SELECT COALESCE(max(id), 0) FROM proxy_calls",
                Long.class);
        return context.getBean(CallStatsRollup.class).rollUpThrough(last == null ? 0 : last).calls();
    }
}
