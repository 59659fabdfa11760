package com.systemtrader.storage;

import java.util.Locale;

/**
 * How one run of a maintenance task ended, with a one-line detail (never a secret: connection errors are scrubbed).
 *
 * @param detail e.g. {@code 3 partitions created}, {@code dropped 2 partitions}, an error message
 */
public record MaintenanceOutcome(Status status, String detail) {
    /** {@code ok}: the work was done; {@code skipped}: nothing to do here; {@code failed}: an error, retried later. */
    public enum Status {
        OK, SKIPPED, FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static MaintenanceOutcome ok(String detail) {
        return new MaintenanceOutcome(Status.OK, detail);
    }

    static MaintenanceOutcome skipped(String detail) {
        return new MaintenanceOutcome(Status.SKIPPED, detail);
    }

    static MaintenanceOutcome failed(String detail) {
        return new MaintenanceOutcome(Status.FAILED, detail);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }
}
