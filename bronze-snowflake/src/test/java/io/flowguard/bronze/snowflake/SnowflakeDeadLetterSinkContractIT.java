package io.flowguard.bronze.snowflake;

import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.testkit.DeadLetterSinkContract;
import io.flowguard.bronze.testkit.Fakesnow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The testkit's dead-letter contract on fakesnow, through {@link SnowflakeMergeSink#companionDeadLetterSink()} (which
 * also proves the companion writes {@code BRONZE_DEAD_LETTER} in the sink's schema).
 */
class SnowflakeDeadLetterSinkContractIT extends DeadLetterSinkContract {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private DataSource dataSource;
    private String schema;

    @Override
    protected DeadLetterSink createSink() {
        schema = "DL_CONTRACT_" + SCHEMAS.incrementAndGet();
        dataSource = SNOW.dataSource("BRONZE_IT", schema);
        return SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .build()
                .companionDeadLetterSink()
                .orElseThrow();
    }

    @Override
    protected List<StoredDeadLetter> readBack() {
        List<StoredDeadLetter> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT SOURCE_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET, INGESTION_ID, STAGE, "
                                + "ERROR_CLASS, ERROR_MESSAGE, ATTEMPTS, RAW_PAYLOAD FROM " + schema
                                + ".BRONZE_DEAD_LETTER")) {
            while (rs.next()) {
                out.add(new StoredDeadLetter(
                        rs.getString(1),
                        rs.getInt(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getInt(8),
                        rs.getString(9)));
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 2003) {
                return out; // nothing written yet: the table does not exist
            }
            throw new IllegalStateException(e);
        }
        return out;
    }
}
