package com.systemtrader.storage.journal;

import java.nio.file.Path;

/**
 * A damaged region found when the journal was opened.
 *
 * @param file         the segment file (its name before it was moved to {@code corrupt/})
 * @param offset       byte offset of the first bad record header
 * @param skippedBytes bytes skipped until the next valid record (or the end of the file)
 * @param reason       what was wrong (CRC mismatch, implausible length, short record, bad header)
 * @param tornTail     true when this was the torn tail of the last segment and was truncated away
 */
public record JournalDamage(Path file, long offset, long skippedBytes, String reason, boolean tornTail) {
    @Override public String toString() {
        return (tornTail ? "torn tail" : "corruption") + " in " + file + " at offset " + offset + " ("
                + reason + ", " + skippedBytes + " bytes skipped)";
    }
}
