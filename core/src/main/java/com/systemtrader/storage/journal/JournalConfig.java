package com.systemtrader.storage.journal;

/**
 * Settings of a {@link SpillJournal}.
 *
 * @param segmentBytes   a segment is rolled (a new file started) when the next record would take it past this
 *                       size; a single record larger than this gets a segment of its own
 * @param diskBudgetBytes the most bytes the journal's segment files may hold together (headers included);
 *                        an append that would pass it fails with {@link JournalFullException}. Files moved to
 *                        {@code corrupt/} and the cursor file do not count.
 * @param maxRecordBytes the largest encoded batch accepted by {@code append}, and the largest length a record
 *                       header may claim when the journal is read back (anything larger is damage)
 */
public record JournalConfig(long segmentBytes, long diskBudgetBytes, int maxRecordBytes) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final long DEFAULT_DISK_BUDGET_BYTES = 4L << 30;
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 << 20;
    /** Segments are read through one memory mapping, so they stay well below 2 GiB. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;

    public JournalConfig {
        if (segmentBytes < SegmentFile.HEADER_BYTES + RecordFrame.HEADER_BYTES + 1) {
            throw new IllegalArgumentException("journal segmentBytes too small: " + segmentBytes);
        }
        if (segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("journal segmentBytes above " + MAX_SEGMENT_BYTES + ": " + segmentBytes);
        }
        if (diskBudgetBytes < segmentBytes) {
            throw new IllegalArgumentException("journal diskBudgetBytes (" + diskBudgetBytes
                    + ") must be at least segmentBytes (" + segmentBytes + ")");
        }
        if (maxRecordBytes < RecordFrame.MIN_PAYLOAD_BYTES || maxRecordBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("journal maxRecordBytes out of range: " + maxRecordBytes);
        }
    }

    /** 64 MiB segments, a 4 GiB budget, batches up to 64 MiB. */
    public static JournalConfig defaults() {
        return new JournalConfig(DEFAULT_SEGMENT_BYTES, DEFAULT_DISK_BUDGET_BYTES, DEFAULT_MAX_RECORD_BYTES);
    }

    public JournalConfig withSegmentBytes(long bytes) { return new JournalConfig(bytes, diskBudgetBytes, maxRecordBytes); }
    public JournalConfig withDiskBudgetBytes(long bytes) { return new JournalConfig(segmentBytes, bytes, maxRecordBytes); }
}
