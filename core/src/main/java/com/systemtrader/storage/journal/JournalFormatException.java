package com.systemtrader.storage.journal;

import java.io.IOException;

/** A record passed its CRC but its payload cannot be decoded (unknown codec version or event tag, bad field). */
public final class JournalFormatException extends IOException {
    public JournalFormatException(String message) {
        super(message);
    }
}
