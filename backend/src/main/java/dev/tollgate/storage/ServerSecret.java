// Why: key hashes and session tokens are keyed with a secret every replica must share. It comes from
// TOLLGATE_SECRET or, when that is unset, is generated once and kept in the database.
package dev.tollgate.storage;

import dev.tollgate.config.Settings;
import io.micronaut.context.annotation.Context;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import io.micronaut.jdbc.DataSourceResolver;
import javax.sql.DataSource;

/** Derives purpose-specific HMAC keys from the fleet's master secret. */
@Context
public class ServerSecret {
    private final byte[] master;

    public ServerSecret(Settings settings, DataSource dataSource, DataSourceResolver resolver) {
        String value = settings.secret() != null ? settings.secret() : storedSecret(resolver.resolve(dataSource));
        this.master = value.getBytes(StandardCharsets.UTF_8);
    }

    /** A 32-byte key for one purpose ("api-keys", "sessions"), so one leaked derived key exposes nothing else. */
    public byte[] derive(String purpose) {
        return new Hmac(master).sign(purpose);
    }

    private static String storedSecret(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO server_secrets (name, value, created_at) VALUES ('master', ?, ?) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, Ids.random(64));
                insert.setTimestamp(2, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT value FROM server_secrets WHERE name = 'master'");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the server secret: " + e.getMessage(), e);
        }
    }
}
