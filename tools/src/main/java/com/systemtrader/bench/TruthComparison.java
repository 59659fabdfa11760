package com.systemtrader.bench;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.provider.alpaca.AlpacaDecoder;
import com.systemtrader.provider.polygon.PolygonDecoder;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.storage.EventIds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares {@code websocket_data} with the simulator's truth file <b>by identity</b>, per provider and type (trades,
 * quotes). The truth's events are decoded by the providers' own decoders ({@link PolygonDecoder}, {@link
 * AlpacaDecoder}) into the normalized records, and their identity is what the storage writes into {@code event_id}:
 * {@link EventIds#trade(Trade)} and {@link EventIds#quote(Quote)}, within (source, data type, symbol). So this class
 * never has its own identity rule: when the storage's rule changes, the comparison follows it.
 *
 * <p>Lines marked {@code "anomaly"} (injected, duplicated or lingering elements, malformed frames) are not market
 * events and are skipped; reordered ones count. Other event types (bars, corrections, cancels, statuses) are not
 * compared here.
 *
 * <p>Scale: identities are kept as 64-bit hashes in sorted primitive arrays (8 bytes per event on each side), so a
 * 10-minute run at 100,000 msg/s (about 60 million events per side) fits in about 1 GB. Two different identities
 * with the same hash would hide each other; for 10^8 events the chance is below 10^-3 per run. Samples of missing,
 * duplicate and extra identities are looked up again by a second pass, so the report names real rows.
 *
 * <p>Per group: {@code expected} distinct identities the simulator sent; {@code stored} rows; {@code missing} sent
 * but not stored; {@code duplicates} rows beyond the first for one identity; {@code extras} identities stored but
 * never sent (e.g. filled by a REST backfill); {@code sameIdInTruth} market events the truth lists under an identity
 * it already listed (distinct events the identity cannot tell apart: the storage keeps one of them).
 */
public final class TruthComparison {
    /** The groups reported, in this order (more appear when the table holds other sources). */
    private static final List<String> GROUPS = List.of("polygon/trade", "polygon/quote", "alpaca/trade", "alpaca/quote");
    private static final int SAMPLES = 5;

    /** The outcome for one (provider, type). */
    public record Group(String provider, String type, long expected, long stored, long missing, long duplicates,
                        long extras, long sameIdInTruth, List<String> missingSamples,
                        List<String> duplicateSamples, List<String> extraSamples) {
        public String name() { return provider + "/" + type; }
    }

    /** Every group plus what the truth file held besides the compared events. */
    public record Result(List<Group> groups, long truthLines, long anomalyLines, long otherEvents,
                         long undecodable) {
        public long missing() { return groups.stream().mapToLong(Group::missing).sum(); }
        public long duplicates() { return groups.stream().mapToLong(Group::duplicates).sum(); }
        public long extras() { return groups.stream().mapToLong(Group::extras).sum(); }
        public long expected() { return groups.stream().mapToLong(Group::expected).sum(); }
        public long stored() { return groups.stream().mapToLong(Group::stored).sum(); }
        public Group group(String provider, String type) {
            return groups.stream().filter(g -> g.provider.equals(provider) && g.type.equals(type)).findFirst()
                    .orElseThrow();
        }
    }

    private TruthComparison() {}

    /** Reads the whole truth file and the whole {@code websocket_data} table of {@code c}. */
    public static Result compare(Path truthFile, Connection c) throws IOException, SQLException {
        Map<String, LongList> sent = groups();
        Counts counts = readTruth(truthFile, (group, hash, identity) ->
                sent.computeIfAbsent(group, g -> new LongList()).add(hash));
        Map<String, LongList> stored = groups();
        readTable(c, (group, hash, identity) -> stored.computeIfAbsent(group, g -> new LongList()).add(hash));

        Map<String, long[]> missingHashes = new HashMap<>();
        Map<String, long[]> extraHashes = new HashMap<>();
        List<Group> out = new ArrayList<>();
        Map<String, Merge> merges = new LinkedHashMap<>();
        for (String g : sent.keySet()) stored.computeIfAbsent(g, k -> new LongList());
        for (String g : stored.keySet()) {
            LongList s = sent.getOrDefault(g, new LongList());
            Merge m = Merge.of(s.sorted(), stored.get(g).sorted());
            merges.put(g, m);
            if (m.missing > 0) missingHashes.put(g, m.missingSample);
            if (m.extras > 0) extraHashes.put(g, m.extraSample);
        }
        Map<String, List<String>> missingSamples = new HashMap<>();
        if (!missingHashes.isEmpty()) {
            readTruth(truthFile, (group, hash, identity) -> {
                long[] want = missingHashes.get(group);
                if (want != null && contains(want, hash)) {
                    List<String> l = missingSamples.computeIfAbsent(group, k -> new ArrayList<>());
                    if (l.size() < SAMPLES) l.add(identity);
                }
            });
        }
        Map<String, List<String>> extraSamples = new HashMap<>();
        if (!extraHashes.isEmpty()) {
            readTable(c, (group, hash, identity) -> {
                long[] want = extraHashes.get(group);
                if (want != null && contains(want, hash)) {
                    List<String> l = extraSamples.computeIfAbsent(group, k -> new ArrayList<>());
                    if (l.size() < SAMPLES && !l.contains(identity)) l.add(identity);
                }
            });
        }
        Map<String, List<String>> duplicateSamples = duplicateSamples(c, merges);
        for (Map.Entry<String, Merge> e : merges.entrySet()) {
            String[] pt = e.getKey().split("/", 2);
            Merge m = e.getValue();
            out.add(new Group(pt[0], pt[1], m.expected, m.stored, m.missing, m.duplicates, m.extras, m.sameIdInTruth,
                    missingSamples.getOrDefault(e.getKey(), List.of()),
                    duplicateSamples.getOrDefault(e.getKey(), List.of()),
                    extraSamples.getOrDefault(e.getKey(), List.of())));
        }
        return new Result(out, counts.lines, counts.anomalies, counts.other, counts.undecodable);
    }

    private static Map<String, LongList> groups() {
        Map<String, LongList> m = new LinkedHashMap<>();
        for (String g : GROUPS) m.put(g, new LongList());
        return m;
    }

    // ---- the truth file ----

    @FunctionalInterface
    private interface IdentitySink {
        void accept(String group, long hash, String identity);
    }

    private static final class Counts {
        long lines;
        long anomalies;
        long other;
        long undecodable;
    }

    private static final byte[] EVENT = "\"event\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANOMALY = "\"anomaly\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] POLYGON = "\"provider\":\"polygon\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALPACA = "\"provider\":\"alpaca\"".getBytes(StandardCharsets.US_ASCII);

    private static Counts readTruth(Path file, IdentitySink sink) throws IOException {
        Counts counts = new Counts();
        SymbolTable symbols = new SymbolTable();
        PolygonDecoder polygon = new PolygonDecoder(symbols);
        AlpacaDecoder alpaca = new AlpacaDecoder(symbols);
        List<MarketEvent> events = new ArrayList<>(1);
        FrameHandler collect = new FrameHandler() {
            @Override public void onEvent(MarketEvent event) { events.add(event); }
            @Override public void onControl(ControlMessage message) { }
            @Override public void onUnknown(String type) { }
        };
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 20];
            byte[] line = new byte[4096];
            int len = 0;
            int n;
            while ((n = in.read(chunk)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') continue;
                    line = fit(line, len + i - start);
                    len = append(line, len, chunk, start, i - start);
                    if (len > 0) line(line, len, counts, polygon, alpaca, events, collect, sink);
                    len = 0;
                    start = i + 1;
                }
                line = fit(line, len + n - start);
                len = append(line, len, chunk, start, n - start);
            }
            if (len > 0) line(line, len, counts, polygon, alpaca, events, collect, sink);
        }
        return counts;
    }

    private static byte[] fit(byte[] line, int needed) {
        return needed <= line.length ? line : Arrays.copyOf(line, Math.max(needed, line.length * 2));
    }

    private static int append(byte[] line, int len, byte[] from, int off, int n) {
        System.arraycopy(from, off, line, len, n);
        return len + n;
    }

    private static void line(byte[] line, int len, Counts counts, PolygonDecoder polygon, AlpacaDecoder alpaca,
                             List<MarketEvent> events, FrameHandler collect, IdentitySink sink) {
        counts.lines++;
        int ev = indexOf(line, len, EVENT, 0);
        int head = ev < 0 ? len : ev;
        if (indexOf(line, head, ANOMALY, 0) >= 0) {
            counts.anomalies++;
            return;
        }
        if (ev < 0) {
            counts.other++;
            return;
        }
        int from = ev + EVENT.length;
        int to = len;
        while (to > from && line[to - 1] != '}') to--;
        to--; // the line's own closing brace
        events.clear();
        try {
            if (indexOf(line, head, POLYGON, 0) >= 0) polygon.decode(line, from, to - from, 0, collect);
            else if (indexOf(line, head, ALPACA, 0) >= 0) alpaca.decode(line, from, to - from, 0, collect);
            else {
                counts.other++;
                return;
            }
        } catch (MalformedFrameException | RuntimeException e) {
            counts.undecodable++;
            return;
        }
        for (MarketEvent e : events) {
            String group;
            String id;
            if (e instanceof Trade t) {
                group = source(t) + "/trade";
                id = t.tradeId() == null ? "t" + t.eventTimeNs() : EventIds.trade(t);
            } else if (e instanceof Quote q) {
                group = source(q) + "/quote";
                id = EventIds.quote(q);
            } else {
                counts.other++;
                continue;
            }
            sink.accept(group, hash(e.symbol(), id), e.symbol() + " " + id + " (" + head(line, head) + ")");
        }
    }

    private static String head(byte[] line, int head) {
        String s = new String(line, 0, Math.max(0, head - 1), StandardCharsets.UTF_8);
        return s.startsWith("{") ? s.substring(1) : s;
    }

    private static String source(MarketEvent e) {
        return e.source().name().toLowerCase(Locale.ROOT);
    }

    private static int indexOf(byte[] hay, int len, byte[] needle, int from) {
        outer:
        for (int i = from; i <= len - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    // ---- the table ----

    private static void readTable(Connection c, IdentitySink sink) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false); // a cursor: rows are fetched in pieces instead of all at once
        try (Statement s = c.createStatement()) {
            s.setFetchSize(50_000);
            try (ResultSet r = s.executeQuery("SELECT source, data_type, symbol, event_id FROM websocket_data")) {
                while (r.next()) {
                    String symbol = r.getString(3);
                    String id = r.getString(4);
                    sink.accept(r.getString(1) + "/" + r.getString(2), hash(symbol, id), symbol + " " + id);
                }
            }
        } finally {
            c.commit();
            c.setAutoCommit(auto);
        }
    }

    private static Map<String, List<String>> duplicateSamples(Connection c, Map<String, Merge> merges)
            throws SQLException {
        Map<String, List<String>> out = new HashMap<>();
        if (merges.values().stream().noneMatch(m -> m.duplicates > 0)) return out;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT source, data_type, symbol,"
                + " event_id, count(*) FROM websocket_data GROUP BY 1, 2, 3, 4 HAVING count(*) > 1 LIMIT 50")) {
            while (r.next()) {
                List<String> l = out.computeIfAbsent(r.getString(1) + "/" + r.getString(2), k -> new ArrayList<>());
                if (l.size() < SAMPLES) l.add(r.getString(3) + " " + r.getString(4) + " x" + r.getLong(5));
            }
        }
        return out;
    }

    // ---- identities as hashes ----

    /** FNV-1a over symbol, a separator and the event id, then MurmurHash3's 64-bit finalizer. */
    static long hash(String symbol, String eventId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < symbol.length(); i++) h = (h ^ symbol.charAt(i)) * 0x100000001b3L;
        h = (h ^ 0xffff) * 0x100000001b3L;
        for (int i = 0; i < eventId.length(); i++) h = (h ^ eventId.charAt(i)) * 0x100000001b3L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static boolean contains(long[] sortedSample, long hash) {
        return Arrays.binarySearch(sortedSample, hash) >= 0;
    }

    /** The merge of one group's sorted sent and stored hashes. */
    private static final class Merge {
        long expected;
        long stored;
        long missing;
        long duplicates;
        long extras;
        long sameIdInTruth;
        long[] missingSample = new long[0];
        long[] extraSample = new long[0];

        static Merge of(long[] sent, long[] stored) {
            Merge m = new Merge();
            m.stored = stored.length;
            LongList missing = new LongList();
            LongList extra = new LongList();
            int i = 0;
            int j = 0;
            while (i < sent.length || j < stored.length) {
                long h;
                if (j >= stored.length || (i < sent.length && sent[i] < stored[j])) h = sent[i];
                else h = stored[j];
                int ns = 0;
                while (i < sent.length && sent[i] == h) {
                    ns++;
                    i++;
                }
                int nd = 0;
                while (j < stored.length && stored[j] == h) {
                    nd++;
                    j++;
                }
                if (ns > 0) {
                    m.expected++;
                    m.sameIdInTruth += ns - 1;
                    if (nd == 0) {
                        m.missing++;
                        if (missing.size < SAMPLES) missing.add(h);
                    }
                } else {
                    m.extras++;
                    if (extra.size < SAMPLES) extra.add(h);
                }
                if (nd > 1) m.duplicates += nd - 1;
            }
            m.missingSample = missing.sorted();
            m.extraSample = extra.sorted();
            return m;
        }
    }

    /** A growable array of longs. */
    private static final class LongList {
        long[] a = new long[1024];
        int size;

        void add(long v) {
            if (size == a.length) a = Arrays.copyOf(a, a.length + (a.length >> 1));
            a[size++] = v;
        }

        long[] sorted() {
            long[] out = Arrays.copyOf(a, size);
            a = null; // the copy is what is kept
            Arrays.sort(out);
            return out;
        }
    }
}
