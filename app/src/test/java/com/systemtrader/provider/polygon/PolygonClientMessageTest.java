package com.systemtrader.provider.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.systemtrader.codec.JsonOut;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolygonClientMessageTest {
    private static final String KEY = "Zk3pQ9xW7vLm2NbT5rYc8HdJ4sFgabcd";

    private static PolygonClientMessage parse(String json) {
        byte[] b = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        return PolygonClientMessage.parse(b, 2, b.length - 4);
    }

    @Test
    void parsesTheThreeActions() {
        PolygonClientMessage auth = parse("{\"action\":\"auth\",\"params\":\"" + KEY + "\"}");
        assertThat(auth).isEqualTo(new PolygonClientMessage("auth", KEY));
        assertThat(auth.isAuth()).isTrue();

        PolygonClientMessage sub = parse(" {\"params\":\"T.AAPL, Q.BRK.A,,AM.* ,\",\"action\":\"subscribe\"} ");
        assertThat(sub.isSubscribe()).isTrue();
        assertThat(sub.topics()).containsExactly("T.AAPL", "Q.BRK.A", "AM.*");

        PolygonClientMessage unsub = parse("{\"action\":\"unsubscribe\",\"params\":\"Q.AAPL\",\"extra\":{\"a\":[1]}}");
        assertThat(unsub.isUnsubscribe()).isTrue();
        assertThat(unsub.topics()).containsExactly("Q.AAPL");
    }

    @Test
    void paramsMayBeMissingOrNull() {
        assertThat(parse("{\"action\":\"ping\"}")).isEqualTo(new PolygonClientMessage("ping", null));
        assertThat(parse("{\"action\":\"subscribe\",\"params\":null}").topics()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json                                             | client message is not valid JSON (near byte 0)",
            "``                                                   | client message is empty",
            "[]                                                   | client message must be a JSON object",
            "\"auth\"                                             | client message must be a JSON object",
            "{}                                                   | client message has no 'action'",
            "{\"params\":\"T.AAPL\"}                              | client message has no 'action'",
            "{\"action\":5}                                       | 'action' must be a string",
            "{\"action\":\"\"}                                    | action must be a non-empty string",
            "{\"action\":\"subscribe\",\"params\":[\"T.AAPL\"]}   | 'params' must be a string",
            "{\"action\":\"subscribe\",\"params\":5}              | 'params' must be a string",
            "{\"action\":\"auth\",\"action\":\"subscribe\"}       | duplicate field 'action'",
            "{\"action\":\"auth\",\"params\":\"a\",\"params\":\"b\"} | duplicate field 'params'",
            "{\"action\":\"auth\"} {}                             | unexpected data after the client message object",
    })
    void rejectsMalformedMessagesWithAReason(String json, String reason) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(PolygonProtocolException.class)
                .isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
    }

    @Test
    void reasonsNeverContainTheKey() {
        assertThatThrownBy(() -> parse("{\"action\":\"auth\",\"params\":\"" + KEY))
                .hasMessage("client message is truncated");
        assertThatThrownBy(() -> parse("{\"action\":\"auth\",\"params\":\"" + KEY + "\" " + KEY + "}"))
                .hasMessageStartingWith("client message is not valid JSON").hasMessageNotContaining("abcd");
    }

    @Test
    void encodesTheWireForm() {
        assertThat(PolygonClientMessage.auth(KEY).toJson()).isEqualTo("{\"action\":\"auth\",\"params\":\"" + KEY + "\"}");
        assertThat(PolygonClientMessage.subscribe(List.of("T.AAPL", "Q.BRK.A", "AM.*")).toJson())
                .isEqualTo("{\"action\":\"subscribe\",\"params\":\"T.AAPL,Q.BRK.A,AM.*\"}");
        assertThat(PolygonClientMessage.unsubscribe("Q.AAPL").toJson())
                .isEqualTo("{\"action\":\"unsubscribe\",\"params\":\"Q.AAPL\"}");
        assertThat(new PolygonClientMessage("ping", null).toJson()).isEqualTo("{\"action\":\"ping\"}");

        JsonOut out = new JsonOut(16);
        out.beginArray();
        PolygonClientMessage.subscribe(" T.AAPL ").writeTo(out);
        PolygonClientMessage.unsubscribe("T.AAPL").writeTo(out);
        out.endArray();
        assertThat(out.toString()).isEqualTo("[{\"action\":\"subscribe\",\"params\":\"T.AAPL\"},"
                + "{\"action\":\"unsubscribe\",\"params\":\"T.AAPL\"}]");
    }

    @Test
    void encodeThenParseRoundTrips() {
        for (PolygonClientMessage m : List.of(PolygonClientMessage.auth(KEY),
                PolygonClientMessage.subscribe("T.*", "LULD.MSFT"), PolygonClientMessage.unsubscribe("NOI.NTEST.Q"))) {
            byte[] b = m.toJson().getBytes(StandardCharsets.UTF_8);
            assertThat(PolygonClientMessage.parse(b, 0, b.length)).isEqualTo(m);
        }
    }

    @Test
    void encodersValidateTheirInput() {
        assertThatThrownBy(() -> PolygonClientMessage.subscribe(List.of())).hasMessage("at least one topic is needed");
        assertThatThrownBy(() -> PolygonClientMessage.subscribe("AAPL")).isInstanceOf(PolygonProtocolException.class);
        assertThatThrownBy(() -> PolygonClientMessage.subscribe("T.A,Q.B")).isInstanceOf(PolygonProtocolException.class);
        assertThatThrownBy(() -> PolygonClientMessage.auth(" ")).hasMessage("API key must not be empty");
    }

    @Test
    void toStringMasksTheKey() {
        String s = PolygonClientMessage.auth(KEY).toString();
        assertThat(s).isEqualTo("PolygonClientMessage[action=auth, params=****abcd]").doesNotContain(KEY.substring(0, 8));
        assertThat(new PolygonClientMessage("auth", "abc1234").toString())
                .isEqualTo("PolygonClientMessage[action=auth, params=****]");
        assertThat(PolygonClientMessage.subscribe("T.AAPL").toString())
                .isEqualTo("PolygonClientMessage[action=subscribe, params=T.AAPL]");
    }
}
