package io.flowguard.bronze.snowflake;

import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.testkit.TestRecords;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Run by {@link SnowflakeWithoutAddOpensIT} in a child JVM started <em>without</em> {@code --add-opens}: connects to
 * fakesnow through {@link SnowflakeDataSource} with the pinned session parameters, lands records with
 * {@link SnowflakeMergeSink}, reads them back, and prints one {@code PROBE ...} line per step. Exit code 0 when all
 * worked, 2 when the JVM was started with {@code --add-opens} (the proof would be void), 1 on any failure.
 *
 * <p>Arguments: fakesnow port, schema, result format to pin ({@code JSON}, the default pin, or {@code ARROW}).
 */
public final class NoAddOpensProbe {
    private NoAddOpensProbe() {}

    public static void main(String[] args) throws Exception {
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream().anyMatch(a -> a.contains("add-opens"))
                || Object.class.getModule().isOpen("java.nio", NoAddOpensProbe.class.getModule())) {
            System.out.println("PROBE jvm has --add-opens: "
                    + ManagementFactory.getRuntimeMXBean().getInputArguments());
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String schema = args[1];
        SnowflakeConnectionConfig config = SnowflakeConnectionConfig.builder()
                .account("fakesnow")
                .host("127.0.0.1")
                .port(port)
                .ssl(false)
                .user("fake")
                .password("fake")
                .database("NO_ADD_OPENS")
                .schema(schema)
                .property("disablePlatformDetection", "true")
                .property("maxHttpRetries", "1")
                .property("JDBC_QUERY_RESULT_FORMAT", args[2])
                .build();
        SnowflakeDataSource ds = SnowflakeDataSource.of(config);
        try {
            SessionCheck check = SnowflakeSessionParameters.verifyDefaults(ds, "probe");
            System.out.println("PROBE check verified=" + check.verified() + " mismatches=" + check.mismatches()
                    + " failure=" + check.failure().orElse(""));
            WriteResult result = new SnowflakeMergeSink(ds).write(TestRecords.orders("orders", 0, 0, 25));
            System.out.println("PROBE write inserted=" + result.inserted());
            try (Connection c = ds.getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs =
                            s.executeQuery("SELECT COUNT(*), MIN(INGESTION_ID) FROM \"" + schema + "\".ORDERS_RAW")) {
                rs.next();
                System.out.println("PROBE rows=" + rs.getLong(1) + " first=" + rs.getString(2));
            }
        } catch (Throwable t) {
            System.out.println("PROBE failed: " + t);
            for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
                System.out.println("PROBE cause: " + c);
            }
            System.exit(1);
        }
        System.exit(0);
    }
}
