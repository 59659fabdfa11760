package com.systemtrader.storage.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An append was refused because it would take the journal past its disk budget. Nothing of the batch was
 * written; the caller still owns it and must decide (block, retry after a replay freed space, or fail loudly).
 */
public final class JournalFullException extends IOException {
    private final Path directory;
    private final long budgetBytes;
    private final long usedBytes;
    private final long neededBytes;

    public JournalFullException(Path directory, long budgetBytes, long usedBytes, long neededBytes) {
        super("spill journal " + directory + " is full: disk budget " + budgetBytes + " bytes, "
                + usedBytes + " bytes used, the batch needs " + neededBytes + " more bytes");
        this.directory = directory;
        this.budgetBytes = budgetBytes;
        this.usedBytes = usedBytes;
        this.neededBytes = neededBytes;
    }

    public Path directory() { return directory; }
    public long budgetBytes() { return budgetBytes; }
    public long usedBytes() { return usedBytes; }
    public long neededBytes() { return neededBytes; }
}
