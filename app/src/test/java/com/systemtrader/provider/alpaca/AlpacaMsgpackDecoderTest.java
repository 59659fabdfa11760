package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.RecordingHandler;

import static com.systemtrader.provider.alpaca.AlpacaFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.provider.alpaca.MsgpackFrames.TimeForm;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.io.IOException;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class AlpacaMsgpackDecoderTest {
    private static final long RX = 42L;
    private final SymbolTable symbols = new SymbolTable();
    private final AlpacaMsgpackDecoder decoder = new AlpacaMsgpackDecoder(symbols);

    private RecordingHandler decode(byte[] b) throws MalformedFrameException {
        RecordingHandler r = new RecordingHandler();
        assertThat(decoder.decode(b, 0, b.length, RX, r)).isEqualTo(r.all.size());
        return r;
    }

    private static RecordingHandler decodeJson(String json) throws MalformedFrameException {
        RecordingHandler r = new RecordingHandler();
        byte[] b = utf8(json);
        new AlpacaDecoder(new SymbolTable()).decode(b, 0, b.length, RX, r);
        return r;
    }

    private MalformedFrameException malformed(byte[] b, RecordingHandler r) {
        return catchThrowableOfType(MalformedFrameException.class, () -> decoder.decode(b, 0, b.length, RX, r));
    }

    static Stream<Arguments> examples() {
        return Stream.concat(DATA_EXAMPLES.stream(), CONTROL_EXAMPLES.stream())
                .flatMap(e -> Stream.of(TimeForm.values()).map(f -> Arguments.of(e, f)));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleDecodesLikeItsJsonForm(String json, TimeForm form) throws Exception {
        RecordingHandler fromMsgpack = decode(MsgpackFrames.fromJson(json, form));
        RecordingHandler fromJson = decodeJson(json);
        assertThat(fromMsgpack.all).isNotEmpty().isEqualTo(fromJson.all);
    }

    @Test
    void timestampExtensionForms() throws Exception {
        // 32-bit: whole seconds (the bar example); 64-bit: with nanoseconds; 96-bit: before 1970 (after 2514 is
        // beyond epoch-nanosecond range); FORM_96 in everyExampleDecodesLikeItsJsonForm covers 96-bit for today
        assertTimeForm("2024-05-30T14:31:00Z", 0xd6);
        assertTimeForm("2024-05-30T19:59:59.871624704Z", 0xd7);
        assertTimeForm("1969-07-20T20:17:40.5Z", 0xc7);
        assertTimeForm("1900-01-01T00:00:00Z", 0xc7);
    }

    private void assertTimeForm(String t, int marker) throws Exception {
        byte[] b = MsgpackFrames.fromJson("[{\"T\":\"i\",\"S\":\"X\",\"p\":1,\"t\":\"" + t + "\"}]", TimeForm.SMALLEST);
        int ext = indexOf(b, (byte) marker);
        assertThat(ext).as("form 0x%x used for %s", marker, t).isGreaterThan(0);
        assertThat(decode(b).events.get(0).eventTimeNs()).isEqualTo(ns(t));
        Instant i = Instant.parse(t);
        assertThat(ns(t)).isEqualTo(i.getEpochSecond() * 1_000_000_000L + i.getNano());
    }

    /** Where a timestamp extension of the given form starts: marker, [length 12,] type -1. */
    private static int indexOf(byte[] b, byte marker) {
        int typeAt = marker == (byte) 0xc7 ? 2 : 1;
        for (int i = 0; i + typeAt < b.length; i++) {
            if (b[i] == marker && b[i + typeAt] == -1 && (typeAt == 1 || b[i + 1] == 12)) return i;
        }
        return -1;
    }

    @Test
    void tradeIdAboveTwoToThe53IsExactAndUint64OverflowIsRejected() throws Exception {
        Trade t = (Trade) decode(MsgpackFrames.fromJson("[{\"T\":\"t\",\"S\":\"BTCUSD\",\"i\":3447222699101865076,"
                + "\"p\":67012.5,\"s\":1,\"t\":\"2024-05-30T10:27:48.858228144Z\"}]", TimeForm.SMALLEST)).events.get(0);
        assertThat(t.tradeId()).isEqualTo("3447222699101865076");
        RecordingHandler r = new RecordingHandler();
        MalformedFrameException e = malformed(MsgpackFrames.fromJson("[{\"T\":\"t\",\"S\":\"A\",\"i\":18446744073709551615,"
                + "\"p\":1,\"s\":1,\"t\":\"2024-05-30T10:27:48Z\"}]", TimeForm.SMALLEST), r);
        assertThat(e.getMessage()).isEqualTo("element 0 (T=t): field 'i' has the wrong type");
    }

    @Test
    void float32PricesAndNilsAndNonStringKeys() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packArrayHeader(1).packMapHeader(13);
        p.packInt(7).packString("ignored");             // non-string key: skipped with its value
        p.packString("T").packString("q");
        p.packString("S").packString("AMD");
        p.packString("bx").packNil();
        p.packString("bp").packFloat(1.5f);
        p.packString("bs").packInt(3);
        p.packString("ax").packString("Q");
        p.packString("ap").packInt(2);
        p.packString("as").packInt(1);
        p.packString("c").packArrayHeader(1).packString("R");
        p.packString("z").packString("C");
        p.packString("r").packTimestamp(Instant.parse("2024-05-30T14:31:02.2Z"));
        p.packString("t").packTimestamp(Instant.parse("2024-05-30T14:31:02.118233088Z"));
        Quote q = (Quote) decode(p.toByteArray()).events.get(0);
        assertThat(q.bidExchange()).isEqualTo(com.systemtrader.schema.Absent.INT);
        assertThat(q.bidPrice()).isEqualTo(1.5);
        assertThat(q.askPrice()).isEqualTo(2.0);
        assertThat(q.askExchange()).isEqualTo('Q');
        assertThat(q.eventTimeNs()).isEqualTo(ns("2024-05-30T14:31:02.118233088Z"));
    }

    @Test
    void unknownTypesAreSkippedAndReported() throws Exception {
        RecordingHandler r = decode(MsgpackFrames.fromJson("""
                [{"T":"o","S":"BTC/USD","t":"2023-03-18T13:51:29.754747009Z","b":[{"p":27485.3445,"s":0.25}],"r":true},
                 {"T":"i","S":"INAQU","p":9.12,"z":"C","t":"2024-12-13T19:58:09.242138635Z"},
                 {"T":"news","c":{"x":1},"i":[1.5]}]""", TimeForm.SMALLEST));
        assertThat(r.all).hasSize(3);
        assertThat(r.all.get(0)).isEqualTo("unknown:o");
        assertThat(r.events).extracting(e -> e.symbol()).containsExactly("INAQU");
        assertThat(r.unknown).containsExactly("o", "news");
    }

    @Test
    void fieldOrderDoesNotMatterAndSymbolsAreInterned() throws Exception {
        String reversed = "[{\"t\":\"2024-12-13T19:58:09.242138635Z\",\"z\":\"C\",\"p\":9.12,\"S\":\"INAQU\",\"T\":\"i\"}]";
        RecordingHandler a = decode(MsgpackFrames.fromJson(reversed, TimeForm.SMALLEST));
        RecordingHandler b = decode(MsgpackFrames.fromJson(IMBALANCE, TimeForm.SMALLEST));
        assertThat(a.events).isEqualTo(b.events);
        assertThat(a.events.get(0).symbol()).isSameAs(b.events.get(0).symbol()).isSameAs(symbols.intern("INAQU"));
    }

    @Test
    void badTimestamps() throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packArrayHeader(1).packMapHeader(4).packString("T").packString("i").packString("S").packString("A")
                .packString("p").packInt(1).packString("t").packExtensionTypeHeader((byte) 5, 8)
                .addPayload(new byte[8]);
        assertThat(malformed(p.toByteArray(), new RecordingHandler()).getMessage())
                .isEqualTo("element 0 (T=i): field 't' is not an RFC 3339 timestamp");
        byte[] stringForm = MsgpackFrames.fromJson("[{\"T\":\"i\",\"S\":\"A\",\"p\":1,\"t\":\"yesterday\"}]",
                TimeForm.STRING);
        assertThat(malformed(stringForm, new RecordingHandler()).getMessage())
                .isEqualTo("element 0 (T=i): field 't' is not an RFC 3339 timestamp");
    }

    @Test
    void everyTruncationIsMalformedAndCountsDeliveredElements() {
        byte[] full = MsgpackFrames.fromJson(TRADES, TimeForm.SMALLEST);
        for (int cut = 0; cut < full.length; cut++) {
            RecordingHandler r = new RecordingHandler();
            int len = cut;
            MalformedFrameException e = catchThrowableOfType(MalformedFrameException.class,
                    () -> decoder.decode(full, 0, len, RX, r));
            assertThat(e).as("cut at %d", cut).isNotNull();
            assertThat(e.eventsBefore()).as("cut at %d", cut).isEqualTo(r.events.size()).isLessThan(2);
            if (cut > 1) assertThat(e.getMessage()).startsWith("truncated msgpack in element " + r.events.size());
        }
    }

    @Test
    void frameShapeErrors() throws IOException {
        assertThat(malformed(new byte[0], new RecordingHandler()).getMessage()).isEqualTo("empty frame");
        assertThat(malformed(new byte[] {0x2a}, new RecordingHandler()).getMessage()).isEqualTo("frame is not a msgpack array");
        byte[] one = MsgpackFrames.fromJson(IMBALANCE, TimeForm.SMALLEST);
        byte[] withNumber = one.clone();
        withNumber[0] = (byte) 0x92; // the array now announces 2 elements
        byte[] bad = java.util.Arrays.copyOf(withNumber, one.length + 1);
        bad[one.length] = 0x05;
        RecordingHandler r = new RecordingHandler();
        MalformedFrameException e = malformed(bad, r);
        assertThat(e.getMessage()).isEqualTo("element 1 is not a map");
        assertThat(e.eventsBefore()).isEqualTo(1);
        assertThat(r.events).hasSize(1);
        byte[] trailing = java.util.Arrays.copyOf(one, one.length + 1);
        assertThat(malformed(trailing, new RecordingHandler()).getMessage()).isEqualTo("content after the end of the frame");
        byte[] invalid = {(byte) 0x91, (byte) 0xc1};
        assertThat(malformed(invalid, new RecordingHandler()).getMessage()).startsWith("invalid msgpack in element 0");
    }

    @Test
    void bareMapAndOffsets() throws Exception {
        byte[] map = MsgpackFrames.fromJson("{\"T\":\"success\",\"msg\":\"authenticated\"}", TimeForm.SMALLEST);
        assertThat(decode(map).controls).containsExactly(AlpacaSuccess.AUTHENTICATED);
        byte[] frame = MsgpackFrames.fromJson(QUOTE, TimeForm.SMALLEST);
        byte[] buf = new byte[frame.length + 10];
        System.arraycopy(frame, 0, buf, 5, frame.length);
        RecordingHandler r = new RecordingHandler();
        assertThat(decoder.decode(buf, 5, frame.length, RX, r)).isEqualTo(1);
        assertThat(r.events.get(0).symbol()).isEqualTo("AMD");
    }
}
