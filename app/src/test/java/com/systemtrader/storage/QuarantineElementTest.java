package com.systemtrader.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.clean.DataCleaner;
import com.systemtrader.clean.QuarantineRecord;
import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.provider.alpaca.AlpacaDecoder;
import com.systemtrader.provider.alpaca.AlpacaMsgpackDecoder;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.provider.polygon.PolygonDecoder;
import com.systemtrader.schema.MarketEvent;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The quarantine keeps the offending element, not its frame: the real decoders delimit each element, the cleaner
 * copies the rejected one, and the writer stores it in PostgreSQL. Frames sit inside larger buffers (a non-zero
 * offset, as the collector's ring hands them on) so the element offsets are checked relative to the frame.
 */
class QuarantineElementTest {
    private static final long T0 = 1_732_000_000_123_456_789L;   // 2024-11-19T07:06:40.123456789Z
    private static TestDatabase db;

    @BeforeAll
    static void migrate() {
        db = TestDatabase.migrated();
    }

    @AfterAll
    static void drop() {
        if (db != null) db.close();
    }

    @BeforeEach
    void clean() throws Exception {
        db.exec("TRUNCATE quarantine");
    }

    /** The collector's decoder callbacks as far as the cleaner is concerned (WebsocketCollector.Events). */
    private static final class ToCleaner implements FrameHandler {
        final DataCleaner cleaner;

        ToCleaner(DataCleaner cleaner) {
            this.cleaner = cleaner;
        }

        @Override public void onEvent(MarketEvent event) { cleaner.clean(event, true); }

        @Override public void onControl(ControlMessage message) { }

        @Override public void onUnknown(String type) { cleaner.unknownType(type); }

        @Override public void onElement(int index, int offset, int length) { cleaner.element(index, offset, length); }
    }

    private interface Decoder {
        void decode(byte[] buf, int off, int len, long rx, FrameHandler h) throws MalformedFrameException;
    }

    /** Decodes {@code frame} placed at offset 7 of a larger buffer, as the collector does, malformed path included. */
    private static void feed(DataCleaner cleaner, Decoder decoder, byte[] frame, boolean binary) {
        byte[] buf = new byte[frame.length + 12];
        java.util.Arrays.fill(buf, (byte) 'x');
        System.arraycopy(frame, 0, buf, 7, frame.length);
        cleaner.beginFrame(buf, 7, frame.length, binary, T0);
        try {
            decoder.decode(buf, 7, frame.length, T0, new ToCleaner(cleaner));
        } catch (MalformedFrameException e) {
            cleaner.malformedFrame(e.getMessage(), e.eventsBefore(), e.elementOffset(), e.elementLength());
        } finally {
            cleaner.endFrame();
        }
    }

    private static void write(DataCleaner cleaner) {
        try (QuarantineWriter w = new QuarantineWriter(() -> DriverManager.getConnection(db.url, "postgres", ""),
                Duration.ofHours(1), 100, null)) {
            w.register("test", "test", cleaner.quarantine());
            assertThat(w.flush()).isTrue();
            assertThat(w.written()).isEqualTo(cleaner.quarantine().added());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test void aRejectedPolygonTradeInsideAThreeMessageFrameIsStoredAsExactlyItsElement() throws Exception {
        String bad = "{\"ev\":\"T\",\"sym\":\"MSFT\",\"i\":\"2\",\"x\":4,\"p\":-1.5,\"s\":100,\"t\":1732000000100,\"z\":3}";
        String frame = "[{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"1\",\"x\":4,\"p\":187.5,\"s\":100,\"t\":1732000000100,\"z\":3},\n "
                + bad + " ,{\"ev\":\"Q\",\"sym\":\"AAPL\",\"bx\":4,\"bp\":187.4,\"bs\":2,\"ax\":7,\"ap\":187.6,\"as\":3,"
                + "\"t\":1732000000100,\"z\":3}]";
        DataCleaner cleaner = DataCleaner.withDefaults("polygon", "stocks");
        PolygonDecoder d = new PolygonDecoder();
        feed(cleaner, (b, o, l, rx, h) -> d.decode(b, o, l, rx, h), utf8(frame), false);

        QuarantineRecord r = cleaner.quarantine().recent(1).getFirst();
        assertThat(cleaner.quarantine().added()).isEqualTo(1);
        assertThat(r.scope()).isEqualTo(QuarantineRecord.Scope.ELEMENT);
        assertThat(r.payloadText()).isEqualTo(bad);
        write(cleaner);
        assertThat(db.rows("SELECT source, feed, symbol, record_type, rule, event_index, payload_scope, payload_length,"
                + " frame_length, truncated, binary_payload FROM quarantine")).containsExactly(
                "polygon stocks MSFT TRADE price-range 1 element " + bad.length() + " " + frame.length() + " f f");
        assertThat(db.firstColumn("SELECT element FROM quarantine")).containsExactly(bad);
        assertThat(db.firstColumn("SELECT convert_from(payload, 'UTF8') FROM quarantine")).containsExactly(bad);
        assertThat(db.firstColumn("SELECT element::jsonb ->> 'p' FROM quarantine")).containsExactly("-1.5");
    }

    @Test void anElementWithAMissingFieldIsStoredAloneAndAnUnsplittableFrameAsItsFirst4KiB() throws Exception {
        DataCleaner cleaner = DataCleaner.withDefaults("polygon", "stocks");
        PolygonDecoder d = new PolygonDecoder();
        String noSymbol = "{\"ev\":\"T\",\"i\":\"9\",\"x\":4,\"p\":10,\"s\":1,\"t\":1732000000100}";
        String fine = "{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"8\",\"x\":4,\"p\":10,\"s\":1,\"t\":1732000000100}";
        feed(cleaner, (b, o, l, rx, h) -> d.decode(b, o, l, rx, h), utf8("[" + fine + "," + noSymbol + "," + fine + "]"),
                false);
        // invalid JSON in the second element of a 10 000-byte frame: no element boundary can be trusted
        StringBuilder big = new StringBuilder("[" + fine.replace("\"i\":\"8\"", "\"i\":\"7\"")
                + ",{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1,,");
        while (big.length() < 10_000) big.append(' ');
        big.setLength(10_000);
        feed(cleaner, (b, o, l, rx, h) -> d.decode(b, o, l, rx, h), utf8(big.toString()), false);
        write(cleaner);

        List<String> rows = db.rows("SELECT rule, event_index, payload_scope, octet_length(payload), payload_length,"
                + " frame_length, truncated FROM quarantine ORDER BY receive_ns, event_index");
        assertThat(rows).containsExactlyInAnyOrder(
                "malformed-frame 1 element " + noSymbol.length() + " " + noSymbol.length() + " "
                        + (fine.length() * 2 + noSymbol.length() + 4) + " f",
                "malformed-frame -1 frame 4096 10000 10000 t");
        assertThat(db.firstColumn("SELECT element FROM quarantine WHERE payload_scope = 'element'"))
                .containsExactly(noSymbol);
        assertThat(db.firstColumn("SELECT element FROM quarantine WHERE payload_scope = 'frame'"))
                .containsExactly(big.substring(0, DataCleaner.FRAME_PREFIX_BYTES));
        assertThat(db.firstColumn("SELECT reason FROM quarantine WHERE payload_scope = 'element'"))
                .containsExactly("element 1 (ev T): field 'sym' is missing");
    }

    @Test void alpacaJsonAndMessagePackElementsAreStoredAloneTheMessagePackOneRenderedAsJson() throws Exception {
        String good = "{\"T\":\"t\",\"S\":\"AAPL\",\"i\":1,\"x\":\"V\",\"p\":189.43,\"s\":100,\"c\":[\"@\"],\"z\":\"C\","
                + "\"t\":\"2024-11-19T07:06:40Z\"}";
        String bad = "{\"T\":\"t\",\"S\":\"AAPL\",\"i\":2,\"x\":\"V\",\"p\":0,\"s\":100,\"c\":[\"@\"],\"z\":\"C\","
                + "\"t\":\"2024-11-19T07:06:40Z\"}";
        DataCleaner json = DataCleaner.withDefaults("alpaca", "v2/sip");
        AlpacaDecoder jd = new AlpacaDecoder(new SymbolTable());
        feed(json, jd::decode, utf8("[" + good + "," + bad + "]"), false);
        assertThat(json.quarantine().recent(1).getFirst().payloadText()).isEqualTo(bad);

        DataCleaner binary = DataCleaner.withDefaults("alpaca", "v2/test");   // another feed: same receive time
        AlpacaMsgpackDecoder md = new AlpacaMsgpackDecoder(new SymbolTable());
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packArrayHeader(3);
        trade(p, 1, 189.43);
        trade(p, 2, 0.0);
        trade(p, 3, 189.44);
        byte[] frame = p.toByteArray();
        feed(binary, md::decode, frame, true);
        MessageBufferPacker one = MessagePack.newDefaultBufferPacker();
        trade(one, 2, 0.0);
        byte[] element = one.toByteArray();
        QuarantineRecord r = binary.quarantine().recent(1).getFirst();
        assertThat(r.payload()).isEqualTo(element);
        assertThat(r.eventIndex()).isEqualTo(1);

        write(json);
        write(binary);
        assertThat(db.rows("SELECT binary_payload, event_index, payload_scope, frame_length, element FROM quarantine"
                + " ORDER BY binary_payload")).containsExactly(
                "f 1 element " + (good.length() + bad.length() + 3) + " " + bad,
                "t 1 element " + frame.length + " {\"T\":\"t\",\"S\":\"AAPL\",\"i\":2,\"x\":\"V\",\"p\":0.0,\"s\":100,"
                        + "\"c\":[\"@\"],\"z\":\"C\",\"t\":\"2024-11-19T07:06:40Z\"}");
        assertThat(db.firstColumn("SELECT encode(payload, 'hex') FROM quarantine WHERE binary_payload"))
                .containsExactly(java.util.HexFormat.of().formatHex(element));
    }

    private static void trade(MessageBufferPacker p, long id, double price) throws Exception {
        p.packMapHeader(9);
        p.packString("T").packString("t");
        p.packString("S").packString("AAPL");
        p.packString("i").packLong(id);
        p.packString("x").packString("V");
        p.packString("p").packDouble(price);
        p.packString("s").packInt(100);
        p.packString("c").packArrayHeader(1).packString("@");
        p.packString("z").packString("C");
        p.packString("t").packString("2024-11-19T07:06:40Z");
    }
}
