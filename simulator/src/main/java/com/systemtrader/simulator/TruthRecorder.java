package com.systemtrader.simulator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ground truth: every data event the simulator wrote to a client socket, one JSON line each, in the order sent
 * per connection: {@code {"conn":3,"provider":"polygon","feed":"stocks","n":17,"event":{...}}} where {@code event}
 * is exactly the provider JSON of that element and {@code n} counts data events on that connection from 1.
 * Lines are written when Netty reports the frame written to the socket, so frames lost to a failed write are not
 * listed. Writes are synchronized and buffered; this costs throughput and is meant for tests.
 *
 * <p>Faults on the wire ({@link Faults}) are marked, so that the lines without a mark are exactly the market's
 * events, each once: an element the market did not produce for this client (an injected trade or quote, a
 * duplicate, data lingering after an unsubscribe) has {@code "anomaly":"<kind>"} before {@code event}; a market
 * event sent ahead of its predecessor has {@code "reordered":true}; a malformed frame gets a line of its own,
 * without {@code n} or {@code event}: {@code {"conn":3,"provider":"polygon","feed":"/stocks","after":17,
 * "anomaly":"malformed-frame"}} ({@code after}: data events sent on the connection before it). Kinds are the
 * {@link Anomaly} labels; their counts equal {@link Faults#injectedBySymbol()}.
 */
public final class TruthRecorder implements AutoCloseable {
    private final OutputStream out;

    public TruthRecorder(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open truth file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends prepared lines (each already ending in a newline). */
    public synchronized void write(byte[] lines) {
        try {
            out.write(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("truth file write failed: " + e.getMessage(), e);
        }
    }

    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("truth file flush failed: " + e.getMessage(), e);
        }
    }

    @Override public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("truth file close failed: " + e.getMessage(), e);
        }
    }
}
