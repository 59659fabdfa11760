package com.systemtrader.storage;

import com.systemtrader.credentials.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A wrong password on a server that checks passwords (the local server trusts loopback, so this starts an embedded
 * PostgreSQL with a scram-sha-256 pg_hba.conf): one clear message naming URL and user, never the password.
 */
class PasswordAuthTest {
    private static final String RIGHT = "right-Password-123";
    private static final String WRONG = "wrong-Password-456";

    @Test
    void wrongPasswordIsReportedWithoutIt(@TempDir Path dir) throws Exception {
        Path hba = dir.resolve("pg_hba.conf");
        Files.writeString(hba, """
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("hba_file", hba.toString()).start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE st_app LOGIN PASSWORD '" + RIGHT + "'");
            }
            String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            StorageConfig config = StorageConfig.defaults().withUrl(url).withUser("st_app");
            assertThatThrownBy(() -> MigrationRunner.migrate(new Database(config, Secret.of(WRONG))))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("cannot connect to " + url + " as st_app: ")
                    .hasMessageContaining("password authentication failed for user \"st_app\"")
                    .hasMessageNotContaining(WRONG).hasMessageNotContaining(RIGHT);
            assertThatThrownBy(() -> new Database(config, null).connect())
                    .hasMessageContaining("no password set; give it in SYSTEM_TRADER_DB_PASSWORD or PGPASSWORD");
            try (Connection c = new Database(config, Secret.of(RIGHT)).connect()) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }
}
