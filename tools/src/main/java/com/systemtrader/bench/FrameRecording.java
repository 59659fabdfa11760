package com.systemtrader.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Data frames of one feed as received over a real socket, in arrival order, kept in memory for replay; see
 * {@link FeedRecorder} for how they are taken from the simulator. Recordings of several feeds are saved to and
 * loaded from one file, so that benchmark runs (and separate JVMs) replay identical bytes:
 *
 * <pre>
 * file      = magic "STFRAMES" (8 bytes), int version (1), UTF description, int recordings, recording*
 * recording = UTF case name, int frames, frame*
 * frame     = byte flags (bit 0: binary), long receive time (epoch ns), int length, length bytes
 * </pre>
 *
 * (big-endian ints and Java modified UTF-8, as {@link DataOutputStream} writes them). Only data frames are
 * recorded: greetings, auth replies and subscription acknowledgements are left out.
 */
public final class FrameRecording {
    private static final byte[] MAGIC = {'S', 'T', 'F', 'R', 'A', 'M', 'E', 'S'};
    private static final int VERSION = 1;
    /** A frame longer than this in a file means the file is corrupt (the collector's own limit is lower). */
    private static final int MAX_FRAME_BYTES = 64 << 20;

    private final RecordedFeed feed;
    private final List<RecordedFrame> frames;
    private final long bytes;

    public FrameRecording(RecordedFeed feed, List<RecordedFrame> frames) {
        this.feed = feed;
        this.frames = List.copyOf(frames);
        long b = 0;
        for (RecordedFrame f : this.frames) b += f.bytes().length;
        this.bytes = b;
    }

    /**
     * Starts an in-process simulator, records {@code options.frames()} data frames of each feed over loopback
     * WebSockets (all feeds at once, one connection each), and stops the simulator.
     */
    public static Map<RecordedFeed, FrameRecording> record(List<RecordedFeed> feeds, RecordingOptions options)
            throws IOException, InterruptedException {
        return FeedRecorder.record(feeds, options);
    }

    public RecordedFeed feed() { return feed; }

    public List<RecordedFrame> frames() { return frames; }

    /** Payload bytes of all frames. */
    public long bytes() { return bytes; }

    /** The first {@code n} frames (all when there are fewer). */
    public FrameRecording first(int n) {
        return n >= frames.size() ? this : new FrameRecording(feed, frames.subList(0, n));
    }

    /** Writes the recordings to {@code file} (through a temporary file, so a reader never sees half a file). */
    public static void save(Path file, String description, Map<RecordedFeed, FrameRecording> recordings)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(description);
            out.writeInt(recordings.size());
            for (FrameRecording r : recordings.values()) {
                out.writeUTF(r.feed.caseName());
                out.writeInt(r.frames.size());
                for (RecordedFrame f : r.frames) {
                    out.writeByte(f.binary() ? 1 : 0);
                    out.writeLong(f.receiveTimeNs());
                    out.writeInt(f.bytes().length);
                    out.write(f.bytes());
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The description stored by {@link #save} (e.g. the simulator settings), without reading the frames. */
    public static String description(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            return in.readUTF();
        }
    }

    /** Reads every recording of a file written by {@link #save}. */
    public static Map<RecordedFeed, FrameRecording> load(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            in.readUTF();
            int n = in.readInt();
            Map<RecordedFeed, FrameRecording> out = new EnumMap<>(RecordedFeed.class);
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                RecordedFeed feed = RecordedFeed.ofCaseName(name);
                if (feed == null) throw corrupt(file, "unknown case '" + name + "'");
                int count = in.readInt();
                if (count < 0) throw corrupt(file, "negative frame count");
                List<RecordedFrame> frames = new ArrayList<>(Math.min(count, 1 << 16));
                for (int k = 0; k < count; k++) {
                    int flags = in.readUnsignedByte();
                    long rx = in.readLong();
                    int len = in.readInt();
                    if (len < 0 || len > MAX_FRAME_BYTES) throw corrupt(file, "frame length " + len);
                    byte[] b = new byte[len];
                    in.readFully(b);
                    frames.add(new RecordedFrame(b, (flags & 1) != 0, rx));
                }
                out.put(feed, new FrameRecording(feed, frames));
            }
            return out;
        } catch (EOFException e) {
            throw corrupt(file, "truncated");
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw corrupt(file, "not a frame recording");
            int version = in.readInt();
            if (version != VERSION) throw corrupt(file, "version " + version + " (this build reads " + VERSION + ")");
            return in;
        } catch (IOException e) {
            in.close();
            throw e instanceof EOFException ? corrupt(file, "truncated") : e;
        }
    }

    private static IOException corrupt(Path file, String why) {
        return new IOException("frame recording " + file + " is unusable: " + why);
    }
}
