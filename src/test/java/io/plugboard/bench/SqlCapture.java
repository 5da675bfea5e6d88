package io.plugboard.bench;

import java.io.Closeable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Records the SQL and the bound parameters the application really sends, so a benchmark can run
 * {@code EXPLAIN (ANALYZE, BUFFERS)} of exactly that statement with exactly those values instead of a
 * hand-copied query. Wraps the application's {@link DataSource}; outside {@link #capture} it only
 * forwards calls (a reflective hop of well under a microsecond per JDBC call).
 */
@TestComponent
public class SqlCapture implements BeanPostProcessor {

    /** One {@code PreparedStatement.setXxx(index, …)} call. */
    public record Bind(Method method, Object[] args) {
    }

    /** A prepared statement the application created, with its binds in call order. */
    public record Statement(String sql, List<Bind> binds) {
    }

    private static final ThreadLocal<List<Statement>> CAPTURED = new ThreadLocal<>();

    /** Runs {@code action} and returns every statement it prepared on this thread. */
    public static List<Statement> capture(Supplier<?> action) {
        var statements = new ArrayList<Statement>();
        CAPTURED.set(statements);
        try {
            action.get();
        } finally {
            CAPTURED.remove();
        }
        return statements;
    }

    /** Runs {@code prefix + statement.sql()} with the statement's binds replayed; one string per result row. */
    public static List<String> run(JdbcTemplate jdbc, String prefix, Statement statement) {
        return jdbc.execute((ConnectionCallback<List<String>>) con -> run(con, prefix, statement));
    }

    private static List<String> run(Connection con, String prefix, Statement statement)
            throws java.sql.SQLException {
        try (PreparedStatement ps = con.prepareStatement(prefix + statement.sql())) {
            for (Bind bind : statement.binds()) {
                try {
                    bind.method().invoke(ps, bind.args());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot replay " + bind.method(), e);
                }
            }
            var lines = new ArrayList<String>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return lines;
        }
    }

    /**
     * {@code EXPLAIN (ANALYZE, BUFFERS)} of the statement's generic plan, with the same values: what
     * PostgreSQL may run once the driver has server-prepared a statement (pgjdbc does so from the fifth use
     * on a connection, unless the statement's prepare threshold is 0) and the plan cache decides a generic
     * plan is good enough.
     */
    public static List<String> explainGeneric(JdbcTemplate jdbc, Statement statement) {
        int parameters = statement.binds().stream().mapToInt(b -> (Integer) b.args()[0]).max().orElse(0);
        // PREPARE with $n placeholders needs the simple query protocol, so a connection of its own.
        try (Connection con = simpleProtocolConnection(jdbc)) {
            try (java.sql.Statement st = con.createStatement()) {
                st.execute("SET plan_cache_mode = force_generic_plan");
                st.execute("PREPARE bench_generic AS " + numbered(statement.sql()));
            }
            String args = String.join(", ", java.util.Collections.nCopies(parameters, "?"));
            return run(con, "EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_generic" + (parameters == 0 ? ""
                    : "(" + args + ")"), new Statement("", statement.binds()));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection simpleProtocolConnection(JdbcTemplate jdbc) throws java.sql.SQLException {
        var hikari = jdbc.getDataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class);
        var properties = new java.util.Properties();
        properties.setProperty("user", hikari.getUsername());
        if (hikari.getPassword() != null) {
            properties.setProperty("password", hikari.getPassword());
        }
        properties.setProperty("preferQueryMode", "simple");
        return java.sql.DriverManager.getConnection(hikari.getJdbcUrl(), properties);
    }

    /** {@code ?} placeholders as {@code $1, $2, …} ({@code ??}, the jsonb operator, stays). */
    static String numbered(String sql) {
        var out = new StringBuilder();
        int n = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '?' && i + 1 < sql.length() && sql.charAt(i + 1) == '?') {
                out.append('?');
                i++;
            } else if (c == '?') {
                out.append('$').append(++n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !Proxy.isProxyClass(bean.getClass())) {
            return proxy(DataSource.class, dataSource, new Class<?>[] {DataSource.class, Closeable.class},
                    (proxy, method, args) -> {
                        Object result = forward(dataSource, method, args);
                        return result instanceof Connection con ? connection(con) : result;
                    });
        }
        return bean;
    }

    private static Connection connection(Connection target) {
        return proxy(Connection.class, target, new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            Object result = forward(target, method, args);
            List<Statement> captured = CAPTURED.get();
            if (captured != null && result instanceof PreparedStatement ps && method.getName().equals("prepareStatement")
                    && args != null && args[0] instanceof String sql) {
                var statement = new Statement(sql, new ArrayList<>());
                captured.add(statement);
                return statement(ps, statement.binds());
            }
            return result;
        });
    }

    private static PreparedStatement statement(PreparedStatement target, List<Bind> binds) {
        return proxy(PreparedStatement.class, target, new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("set") && args != null && args.length >= 2
                            && method.getParameterTypes()[0] == int.class) {
                        binds.add(new Bind(method, args.clone()));
                    }
                    return forward(target, method, args);
                });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, Class<?>[] interfaces, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(SqlCapture.class.getClassLoader(), interfaces, (proxy, method, args) -> {
            switch (method.getName()) {
                case "equals":
                    if (method.getParameterCount() == 1) {
                        return proxy == args[0];
                    }
                    break;
                case "hashCode":
                    if (method.getParameterCount() == 0) {
                        return System.identityHashCode(proxy);
                    }
                    break;
                case "toString":
                    if (method.getParameterCount() == 0) {
                        return "SqlCapture(" + target + ")";
                    }
                    break;
                default:
                    break;
            }
            return handler.invoke(proxy, method, args);
        });
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
