package io.flowguard.bronze.config.internal;

import io.flowguard.bronze.core.Secrets;
import io.flowguard.bronze.jdbc.AbstractDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A DataSource over {@link DriverManager}: a new connection per call (the engine writes one batch at a time). */
public final class DriverDataSource extends AbstractDataSource {
    private final String url;
    private final Properties properties;

    public DriverDataSource(String url, Properties properties) {
        this.url = url;
        this.properties = properties;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    @Override
    public String toString() {
        return "DriverDataSource{" + Secrets.maskUrl(url) + ", user=" + properties.getProperty("user") + '}';
    }
}
