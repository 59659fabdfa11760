package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the server offers, read with one query (storage.md 1.2), and the mode chosen from it.
 *
 * @param serverVersionNum {@code server_version_num}, e.g. 150020
 * @param tsInstalled      the installed TimescaleDB version in this database, or null
 * @param tsAvailable      the version {@code CREATE EXTENSION} would install, or null
 * @param tsPreloaded      TimescaleDB in {@code shared_preload_libraries}; null when the role may not read it
 * @param tsLicense        {@code timescale} (community: compression, caggs, policies), {@code apache}, or null
 */
public record ServerProbe(int serverVersionNum, String tsInstalled, String tsAvailable, Boolean tsPreloaded,
                          String tsLicense) {
    static final String QUERY = """
            SELECT current_setting('server_version_num')::int,
                   (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'),
                   (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'),
                   (SELECT 'timescaledb' = ANY (string_to_array(replace(setting, ' ', ''), ','))
                      FROM pg_settings WHERE name = 'shared_preload_libraries'),
                   current_setting('timescaledb.license', true)""";

    /**
     * The mode to use and why.
     *
     * @param createExtension run {@code CREATE EXTENSION timescaledb} first (only ever when it is preloaded)
     */
    public record Decision(StorageMode mode, boolean createExtension, String reason) {}

    public static ServerProbe probe(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(QUERY)) {
            r.next();
            boolean preloadedNull = r.getObject(4) == null;
            return new ServerProbe(r.getInt(1), r.getString(2), r.getString(3), preloadedNull ? null : r.getBoolean(4),
                    r.getString(5));
        }
    }

    /**
     * Chooses the mode for {@code configured} ({@code auto}, {@code timescaledb} or {@code postgresql}). Never asks
     * for {@code CREATE EXTENSION} unless TimescaleDB is preloaded: otherwise the server answers FATAL and drops
     * the connection.
     *
     * @throws StorageException when {@code timescaledb} is configured and the server cannot provide it
     */
    public Decision decide(String configured) {
        boolean preloaded = Boolean.TRUE.equals(tsPreloaded);
        boolean community = tsInstalled != null && "timescale".equals(tsLicense);
        switch (configured) {
            case "postgresql" -> {
                return new Decision(StorageMode.POSTGRESQL, false, "storage.mode is postgresql");
            }
            case "timescaledb" -> {
                if (community) return new Decision(StorageMode.TIMESCALEDB, false, "storage.mode is timescaledb");
                if (tsInstalled != null) {
                    throw new StorageException("storage.mode is timescaledb but TimescaleDB " + tsInstalled
                            + " runs with the " + tsLicense + " licence, which lacks compression and continuous "
                            + "aggregates; set timescaledb.license = 'timescale' or use storage.mode postgresql");
                }
                if (tsAvailable != null && preloaded) {
                    return new Decision(StorageMode.TIMESCALEDB, true, "storage.mode is timescaledb; creating the extension");
                }
                throw new StorageException("storage.mode is timescaledb but the server cannot provide it: "
                        + (tsAvailable == null ? "the extension is not installed on the server"
                        : tsPreloaded == null
                        ? "this role may not read shared_preload_libraries: GRANT pg_read_all_settings to it, or "
                                + "CREATE EXTENSION timescaledb in this database first (its owner may: the extension "
                                + "is trusted)"
                        : "timescaledb is not in shared_preload_libraries: add it and restart the server "
                                + "(deploy/systemd/README.md)")
                        + "; CREATE EXTENSION is never tried unless it is preloaded");
            }
            case "auto" -> {
                if (community) return new Decision(StorageMode.TIMESCALEDB, false, "TimescaleDB " + tsInstalled + " installed");
                if (tsInstalled != null) {
                    return new Decision(StorageMode.POSTGRESQL, false, "TimescaleDB " + tsInstalled
                            + " has the " + tsLicense + " licence (no compression or continuous aggregates)");
                }
                if (tsAvailable != null && preloaded) {
                    return new Decision(StorageMode.TIMESCALEDB, true, "TimescaleDB " + tsAvailable + " preloaded");
                }
                if (tsAvailable != null && tsPreloaded == null) {
                    // not a guess either way: plain PostgreSQL on a TimescaleDB server loses the roll-ups' policies,
                    // compression and retention jobs without a word (storage.md 1.2)
                    throw new StorageException("storage.mode is auto and TimescaleDB " + tsAvailable + " is on the"
                            + " server, but this role may not read shared_preload_libraries, so whether it is preloaded"
                            + " is unknown: GRANT pg_read_all_settings TO this role, or have the database owner run"
                            + " CREATE EXTENSION timescaledb in this database (the extension is trusted), or set"
                            + " storage.mode to timescaledb or postgresql");
                }
                return new Decision(StorageMode.POSTGRESQL, false, tsAvailable == null ? "TimescaleDB not available"
                        : "TimescaleDB " + tsAvailable + " available but not preloaded");
            }
            default -> throw new StorageException("storage.mode must be auto, timescaledb or postgresql, got " + configured);
        }
    }

    /** {@code 15.20} from 150020. */
    public String serverVersion() {
        return serverVersionNum / 10000 + "." + serverVersionNum % 10000;
    }
}
