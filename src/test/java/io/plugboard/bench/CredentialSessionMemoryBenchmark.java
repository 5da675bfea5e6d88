package io.plugboard.bench;

import com.vaadin.browserless.BrowserlessUIContext;
import com.vaadin.browserless.BrowserlessUserContext;
import com.vaadin.browserless.SecuredBrowserlessApplicationContext;
import com.vaadin.browserless.SpringBrowserlessApplicationContext;
import com.vaadin.browserless.internal.MockVaadin;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.router.Location;
import com.vaadin.flow.router.RouteConfiguration;
import io.plugboard.SignedIn;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.ui.CredentialFilters;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.shell.MainLayout;
import jakarta.annotation.security.PermitAll;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Heap held per signed-in tenant-admin session with the credentials view open over the million-row
 * tenant. In one JVM, per variant: {@value #SESSIONS} browserless users (each its own Vaadin session, HTTP
 * session and security context) sign in, open {@code /credentials} and let the grid fetch its first page
 * as a browser would (or more rows, or open a lighter route to break the total down: the shell alone, the
 * filter bar alone, nothing); the live heap after a full GC is compared before and after (two ways:
 * {@code MemoryMXBean} after {@code System.gc()}, and the class histogram's total, whose per-class
 * difference shows where the memory goes). Writes {@code target/benchmarks/credentials-session-memory.md};
 * asserts nothing about size. {@code -Dplugboard.bench.variants=shell,bare} measures only some variants.
 *
 * <pre>./mvnw test -Dtest=CredentialSessionMemoryBenchmark -Dgroups=benchmark -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@CredentialBenchmarkApp
@Tag("benchmark")
class CredentialSessionMemoryBenchmark {

    static final int SESSIONS = 100;
    static final int WARM_UP_SESSIONS = 5;
    /** Rows of the first report's headline: two pages of 50, more than a browser asks for on opening the view. */
    static final int VIEWPORT = 100;
    private static final double TARGET_KB = 150;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    /** Whether the current browserless application has the benchmark's routes yet. */
    private boolean routesRegistered;

    /**
     * One way of opening a session: a route, and how many grid rows the "browser" asks for ({@link #FIRST_PAGE}:
     * the grid's page size; -1: the view has no lazy grid).
     */
    private record Variant(String id, String name, String route, String viewClass, int gridRows, boolean viaDashboard) {

        Variant(String id, String name, String route, String viewClass, int gridRows) {
            this(id, name, route, viewClass, gridRows, false);
        }
    }

    private record Measured(Variant variant, Heap before, Heap open, Heap closed, List<String> queries) {

        double perSessionKb() {
            return (open.histogramTotal() - before.histogramTotal()) / 1024.0 / SESSIONS;
        }

        double perSessionMxKb() {
            return (open.used() - before.used()) / 1024.0 / SESSIONS;
        }
    }

    @Test
    void heapPerAdminSessionOnTheCredentialsView() throws Exception {
        PortalPrincipal admin = SignedIn.principal(jdbc, CredentialBenchmarkApp.ADMIN);
        MillionCredentials.ensure(jdbc, admin.tenantId());
        String loadBefore = Machine.load();
        String credentials = "io.plugboard.credential.ui.CredentialsView";
        var variants = List.of(
                new Variant("first-page", "credentials view, the grid's first page fetched (what a browser asks for "
                        + "on opening the view, 1280x800 to 2560x1440)", "credentials", credentials, FIRST_PAGE),
                new Variant("after-dashboard", "credentials view, the grid's first page, opened from the dashboard "
                        + "(the page after sign-in)", "credentials", credentials, FIRST_PAGE, true),
                new Variant("rows-100", "credentials view, grid rows 0-99 asked for", "credentials", credentials, VIEWPORT),
                new Variant("rows-50", "credentials view, grid rows 0-49 asked for", "credentials", credentials, 50),
                new Variant("no-rows", "credentials view, no rows asked for (the grid sends its first page anyway)",
                        "credentials", credentials, 0),
                new Variant("dashboard", "dashboard view (the shell and a light view, for comparison)", "",
                        "io.plugboard.dashboard.ui.DashboardView", -1),
                new Variant("filters", "the shell around the credentials filter bar alone", FILTERS_ONLY,
                        FiltersOnly.class.getName(), -1),
                new Variant("shell", "the shell around an empty view", SHELL_ONLY, ShellOnly.class.getName(), -1),
                new Variant("bare", "an empty view without the shell (signed-in session, UI, browserless harness)",
                        BARE, Bare.class.getName(), -1));
        var results = new ArrayList<Measured>();
        String serialized = null;
        // -Dplugboard.bench.variants=shell,bare measures only those (ids above); the first one measured is the headline.
        List<String> only = List.of(System.getProperty("plugboard.bench.variants", "").split(","));
        for (Variant variant : variants) {
            if (!only.equals(List.of("")) && !only.contains(variant.id())) {
                continue;
            }
            var app = SpringBrowserlessApplicationContext.createSecured(context, "io.plugboard");
            routesRegistered = false;
            var firstOpen = new ArrayList<BrowserlessUserContext>();
            List<String> queries = describe(SqlCapture.capture(() -> firstOpen.add(open(app, variant))));
            for (int i = 1; i < WARM_UP_SESSIONS; i++) {
                open(app, variant).close();
            }
            if (serialized == null) {
                serialized = serializedSize(firstOpen.getFirst());
            }
            firstOpen.getFirst().close();

            Heap before = Heap.measure();
            var users = new ArrayList<BrowserlessUserContext>();
            for (int i = 0; i < SESSIONS; i++) {
                users.add(open(app, variant));
            }
            Heap open = Heap.measure();
            // A closed user stays in the browserless application's list; closing the application lets go.
            users.clear();
            firstOpen.clear();
            app.close();
            Heap closed = Heap.measure();
            var measured = new Measured(variant, before, open, closed, queries);
            System.out.printf(Locale.ROOT, "%-48s %8.1f KB/session (MemoryMXBean %.1f), load %s%n", variant.name(),
                    measured.perSessionKb(), measured.perSessionMxKb(), Machine.load());
            results.add(measured);
        }
        String report = report(results, serialized, loadBefore, Machine.load());
        System.out.println(report);
        Files.writeString(Machine.reportFile("credentials-session-memory.md"), report);
    }

    /** Routes of this benchmark only, registered into each browserless application: no other test sees them. */
    static final String SHELL_ONLY = "bench-shell-only";
    static final String BARE = "bench-bare";
    /** Asks the grid for its first page, whatever its page size, as a browser does on opening the view. */
    static final int FIRST_PAGE = -2;

    /** Nothing but the main layout around it. */
    @PermitAll
    public static class ShellOnly extends Div {
    }

    static final String FILTERS_ONLY = "bench-filters-only";

    /** The credentials view's filter bar and nothing else, in the main layout. */
    @PermitAll
    public static class FiltersOnly extends Div {
        public FiltersOnly(TenantConnectors connectors, CurrentUser user) {
            add(new CredentialFilters(connectors.all(user.tenant().orElseThrow().tenantId()), () -> { }));
        }
    }

    /** Nothing at all: what any signed-in session costs. */
    @PermitAll
    public static class Bare extends Div {
    }

    private static void registerBenchmarkRoutes() {
        RouteConfiguration routes = RouteConfiguration.forApplicationScope();
        if (!routes.isRouteRegistered(ShellOnly.class)) {
            routes.setRoute(SHELL_ONLY, ShellOnly.class, List.of(MainLayout.class));
            routes.setRoute(BARE, Bare.class);
            routes.setRoute(FILTERS_ONLY, FiltersOnly.class, List.of(MainLayout.class));
        }
    }

    private BrowserlessUserContext open(SecuredBrowserlessApplicationContext<Authentication> app, Variant variant) {
        // Each session signs in on its own, as a browser would: its own principal and authentication.
        PortalPrincipal principal = SignedIn.principal(jdbc, CredentialBenchmarkApp.ADMIN);
        Authentication authentication = UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())));
        BrowserlessUserContext user = app.newUser(authentication);
        // The benchmark's own routes exist in an application once its first window has registered them.
        if (!variant.viaDashboard() && (variant.route().equals("credentials") || routesRegistered)) {
            openNextWindowAt(variant.route());
        }
        BrowserlessUIContext window = user.newWindow();
        registerBenchmarkRoutes();
        routesRegistered = true;
        try {
            Class<? extends Component> view = Class.forName(variant.viewClass()).asSubclass(Component.class);
            if (!view.isInstance(window.getCurrentView())) {
                window.navigate(variant.route(), view);
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        if (variant.gridRows() >= 0 || variant.gridRows() == FIRST_PAGE) {
            Grid<?> grid = window.find(Grid.class).all().getFirst();
            grid.getDataCommunicator().setViewportRange(0,
                    variant.gridRows() == FIRST_PAGE ? grid.getPageSize() : variant.gridRows());
        }
        // Two round trips: the first renders the requested rows, the second collects what that changed. Then
        // what a response to the browser takes away: the pending JavaScript calls (the grid's rows go to the
        // browser as arguments of such calls), which browserless never sends.
        window.roundTrip();
        window.roundTrip();
        window.getUI().getInternals().dumpPendingJavaScriptInvocations();
        return user;
    }

    /**
     * A browser that opens {@code /credentials} gets a UI that renders that route first. browserless-test's new
     * window renders the root route ("/", the dashboard) and then navigates, unless a location is waiting in its
     * {@code MockVaadin.lastNavigation} (what it uses to reload a window), which it takes instead. The detour is not
     * free: the dashboard attaches about 2,000 state nodes, and the UI's node map ({@code StateTree.idToNode}, a
     * {@code HashMap}, which never shrinks) keeps a 4,096-slot table (16 KB) after leaving it. The variant
     * "after-dashboard" keeps the detour: it is what a user who signs in and then opens Credentials holds.
     */
    private static void openNextWindowAt(String route) {
        try {
            Field field = MockVaadin.class.getDeclaredField("lastNavigation");
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            var next = (ThreadLocal<Location>) field.get(null);
            next.set(new Location(route));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("browserless-test changed: cannot open a window at " + route, e);
        }
    }

    /** The credential statements one session's opening sends, with their bound values (LIMIT/OFFSET show the rows fetched). */
    private static List<String> describe(List<SqlCapture.Statement> statements) {
        return statements.stream().filter(s -> s.sql().contains("credentials"))
                .map(s -> (s.sql().startsWith("WITH page") ? "page query" : s.sql().contains("count(*)") ? "count query"
                        : s.sql().substring(0, Math.min(40, s.sql().length()))) + " "
                        + s.binds().stream().map(b -> String.valueOf(b.args()[1])).toList())
                .toList();
    }

    /** Vaadin's own measure, if the session serializes (Spring beans held by views usually do not). */
    private static String serializedSize(BrowserlessUserContext user) {
        var counter = new OutputStream() {
            long bytes;

            @Override
            public void write(int b) {
                bytes++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes += len;
            }
        };
        var session = user.getSession();
        session.lock();
        try (var out = new ObjectOutputStream(counter)) {
            out.writeObject(session);
            return String.format(Locale.ROOT, "%.1f KB", counter.bytes / 1024.0);
        } catch (IOException | RuntimeException e) {
            return "not serializable: " + e;
        } finally {
            session.unlock();
        }
    }

    /**
     * One measurement. The class histogram is kept in a temporary file, not on the heap: a parsed histogram
     * (thousands of classes, a few MB) held until the next measurement would be counted in it.
     */
    private record Heap(long used, long histogramTotal, Path histogram) {

        private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
        private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+).*$");

        static Heap measure() throws Exception {
            long used = Long.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                System.gc();
                Thread.sleep(250);
                used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            long total = 0;
            for (String line : histogram.split("\n")) {
                Matcher t = TOTAL.matcher(line.trim());
                if (t.matches()) {
                    total = Long.parseLong(t.group(2));
                }
            }
            Path file = Files.createTempFile("class-histogram", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, histogram);
            return new Heap(used, total, file);
        }

        /** Instances and bytes per class name. */
        Map<String, long[]> classes() {
            var classes = new HashMap<String, long[]>();
            try {
                for (String line : Files.readAllLines(histogram)) {
                    Matcher row = ROW.matcher(line);
                    if (row.matches()) {
                        classes.put(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return classes;
        }
    }

    private static String report(List<Measured> results, String serialized, String loadBefore, String loadAfter) {
        Measured headline = results.getFirst();
        var md = new StringBuilder("# Heap per credentials-view session\n\n");
        md.append("Generated by `CredentialSessionMemoryBenchmark` at ").append(Instant.now()).append(".\n\n");
        md.append("## Machine\n\n").append(Machine.describe()).append("\n\n");
        md.append("## Result\n\n");
        md.append(String.format(Locale.ROOT, """
                Per variant: %d browserless sessions (each its own Vaadin session, HTTP session and security context), \
                signed in as the demo tenant admin and opened on the route over the million-row tenant; the live heap \
                after a full GC before and with all of them open (%d warm-up sessions first). The headline is the first \
                row. Target ≤ %.0f KB per session: %s.

                | variant | per session (class histogram) | per session (MemoryMXBean after System.gc()) | heap before → open → all closed |
                |---|---:|---:|---|
                """, SESSIONS, WARM_UP_SESSIONS, TARGET_KB, headline.perSessionKb() <= TARGET_KB ? "met" : "**missed**"));
        for (Measured m : results) {
            md.append(String.format(Locale.ROOT, "| %s | **%.1f KB** | %.1f KB | %,d → %,d → %,d KB |%n", m.variant().name(),
                    m.perSessionKb(), m.perSessionMxKb(), m.before().histogramTotal() / 1024,
                    m.open().histogramTotal() / 1024, m.closed().histogramTotal() / 1024));
        }
        md.append("\nStatements one credentials session's opening sent: ").append(headline.queries()).append(".\n");
        md.append("Serialized VaadinSession: ").append(serialized).append(".\n");
        md.append("Load average (1/5/15 min): ").append(loadBefore).append(" before → ").append(loadAfter).append(" after.\n\n");
        for (Measured m : results) {
            md.append("## Where it goes: ").append(m.variant().name()).append("\n\nLargest growth per class, per session.\n\n");
            md.append("| class | instances / session | bytes / session |\n|---|---:|---:|\n");
            Map<String, long[]> before = m.before().classes();
            m.open().classes().entrySet().stream()
                    .map(e -> {
                        long[] was = before.getOrDefault(e.getKey(), new long[2]);
                        return Map.entry(e.getKey(), new long[] {e.getValue()[0] - was[0], e.getValue()[1] - was[1]});
                    })
                    .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed())
                    .limit(m == headline ? 30 : 15)
                    .forEach(e -> md.append(String.format(Locale.ROOT, "| `%s` | %.1f | %,.0f |%n", e.getKey(),
                            e.getValue()[0] / (double) SESSIONS, e.getValue()[1] / (double) SESSIONS)));
            md.append('\n');
        }
        return md.toString();
    }
}
