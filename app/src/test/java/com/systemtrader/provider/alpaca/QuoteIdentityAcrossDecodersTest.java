package com.systemtrader.provider.alpaca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.codec.RecordingHandler;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.provider.alpaca.AlpacaDecoder;
import com.systemtrader.simulator.wire.AlpacaEncoder;
import com.systemtrader.provider.alpaca.AlpacaMsgpackDecoder;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.storage.EventIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * One Alpaca quote (Alpaca sends no quote id) reaches storage by three decoders: the WebSocket's JSON and MessagePack
 * forms and the REST history. Each must give it the same {@code event_id}, or a backfill or a reconnect on the other
 * format would store it twice; the quotes below, several of the same nanosecond, must keep distinct ids.
 */
class QuoteIdentityAcrossDecodersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RX = 7L;
    private static final String TIME = "2024-05-30T14:31:02.118233088Z";

    /** The WebSocket JSON elements (protocols.md 2.4); the REST form is the same object without T and S. */
    private static final List<String> QUOTES = List.of(
            "{\"T\":\"q\",\"S\":\"AMD\",\"bx\":\"K\",\"bp\":166.21,\"bs\":3,\"ax\":\"Q\",\"ap\":166.23,\"as\":1,"
                    + "\"c\":[\"R\"],\"z\":\"C\",\"t\":\"" + TIME + "\"}",
            // same nanosecond, another size: another quote
            "{\"T\":\"q\",\"S\":\"AMD\",\"bx\":\"K\",\"bp\":166.21,\"bs\":4,\"ax\":\"Q\",\"ap\":166.23,\"as\":1,"
                    + "\"c\":[\"R\"],\"z\":\"C\",\"t\":\"" + TIME + "\"}",
            // same nanosecond, crossed (bid and ask swapped)
            "{\"T\":\"q\",\"S\":\"AMD\",\"bx\":\"Q\",\"bp\":166.23,\"bs\":1,\"ax\":\"K\",\"ap\":166.21,\"as\":3,"
                    + "\"c\":[\"R\"],\"z\":\"C\",\"t\":\"" + TIME + "\"}",
            // same nanosecond, one-sided, no conditions
            "{\"T\":\"q\",\"S\":\"AMD\",\"bx\":\"K\",\"bp\":0,\"bs\":0,\"ax\":\"Q\",\"ap\":166.23,\"as\":1,"
                    + "\"c\":[],\"z\":\"C\",\"t\":\"" + TIME + "\"}",
            // sub-penny and four-decimal prices, two conditions, another tape, whole-number text
            "{\"T\":\"q\",\"S\":\"AMD\",\"bx\":\"V\",\"bp\":0.0001,\"bs\":100,\"ax\":\"V\",\"ap\":1234.5678,\"as\":2,"
                    + "\"c\":[\"R\",\"Y\"],\"z\":\"A\",\"t\":\"2024-05-30T14:31:02.000000001Z\"}",
            "{\"T\":\"q\",\"S\":\"AMD\",\"bx\":\"P\",\"bp\":190,\"bs\":5,\"ax\":\"P\",\"ap\":190.1,\"as\":5,"
                    + "\"c\":[\"R\"],\"z\":\"B\",\"t\":\"2024-05-30T14:31:02Z\"}");

    @Test void theSameQuoteGetsTheSameIdFromJsonMessagePackAndRest() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String element : QUOTES) {
            JsonNode node = JSON.readTree(element);
            Quote fromJson = (Quote) only(new AlpacaDecoder(new SymbolTable()), utf8("[" + element + "]"));
            Quote fromMsgpack = (Quote) only(new AlpacaMsgpackDecoder(new SymbolTable()), msgpack(node));
            Quote fromSimulatorMsgpack = (Quote) only(new AlpacaMsgpackDecoder(new SymbolTable()),
                    AlpacaEncoder.msgpack().frame(List.of(fromJson)));
            Quote fromRest = AlpacaRestJson.quote(restForm(node), "AMD", RX);

            assertThat(fromMsgpack).as("MessagePack decodes as JSON: %s", element).isEqualTo(fromJson);
            assertThat(fromSimulatorMsgpack).isEqualTo(fromJson);
            assertThat(fromRest).as("REST decodes as the WebSocket: %s", element).isEqualTo(fromJson);
            String id = EventIds.quote(fromJson);
            assertThat(EventIds.quote(fromMsgpack)).isEqualTo(id);
            assertThat(EventIds.quote(fromRest)).isEqualTo(id);
            assertThat(id).startsWith("t" + Timestamps.parseRfc3339(node.get("t").asText()) + ":");
            ids.add(id);
        }
        assertThat(new HashSet<>(ids)).as("distinct quotes, distinct ids").hasSize(QUOTES.size());
    }

    private static MarketEvent only(Object decoder, byte[] frame) throws Exception {
        RecordingHandler r = new RecordingHandler();
        if (decoder instanceof AlpacaDecoder d) d.decode(frame, 0, frame.length, RX, r);
        else ((AlpacaMsgpackDecoder) decoder).decode(frame, 0, frame.length, RX, r);
        assertThat(r.events).hasSize(1);
        return r.events.get(0);
    }

    /** The REST history's object: the stream's without {@code T} and {@code S}. */
    private static JsonNode restForm(JsonNode element) {
        var rest = JSON.createObjectNode();
        element.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("T") && !f.getKey().equals("S")) rest.set(f.getKey(), f.getValue());
        });
        return rest;
    }

    /**
     * The element as Alpaca's MessagePack stream sends it, written here with msgpack-core: the same keys, prices as
     * float64, {@code t} as a timestamp extension.
     */
    private static byte[] msgpack(JsonNode element) throws Exception {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(1).packMapHeader(element.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = element.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                p.packString(f.getKey());
                JsonNode v = f.getValue();
                switch (f.getKey()) {
                    case "t" -> p.packTimestamp(Instant.parse(v.asText()));
                    case "bp", "ap" -> p.packDouble(v.asDouble());
                    default -> {
                        if (v.isArray()) {
                            p.packArrayHeader(v.size());
                            for (JsonNode c : v) p.packString(c.asText());
                        } else if (v.isIntegralNumber()) {
                            p.packLong(v.asLong());
                        } else {
                            p.packString(v.asText());
                        }
                    }
                }
            }
            return p.toByteArray();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
