package com.systemtrader.provider.alpaca;

import static com.systemtrader.provider.alpaca.AlpacaFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.systemtrader.provider.alpaca.AlpacaClientMessage.Auth;
import com.systemtrader.provider.alpaca.AlpacaClientMessage.Subscribe;
import com.systemtrader.provider.alpaca.AlpacaClientMessage.Unsubscribe;
import com.systemtrader.provider.alpaca.MsgpackFrames.TimeForm;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class AlpacaClientMessageTest {
    private static final String KEY = "PKTEST1234abcd";
    private static final String SECRET = "s3cr3tValueWXYZ";

    private static AlpacaClientMessage json(String s) throws AlpacaProtocolException {
        byte[] b = utf8(s);
        return AlpacaClientMessage.parseJson(b, 0, b.length);
    }

    private static AlpacaClientMessage msgpack(byte[] b) throws AlpacaProtocolException {
        return AlpacaClientMessage.parseMsgpack(b, 0, b.length);
    }

    private static String jsonError(String s) {
        return catchThrowableOfType(AlpacaProtocolException.class, () -> json(s)).getMessage();
    }

    // ---- §2.3 examples ----

    @Test
    void authExample() throws Exception {
        assertThat(json("{\"action\":\"auth\",\"key\":\"PKXXXXXXXXXXXXXXXX\",\"secret\":\"xxxxxxxx\"}"))
                .isEqualTo(new Auth("PKXXXXXXXXXXXXXXXX", "xxxxxxxx"));
        assertThat(json("{\"action\": \"auth\", \"key\": \"oauth\", \"secret\": \"tok\"}")).isEqualTo(new Auth("oauth", "tok"));
    }

    @Test
    void subscribeAndUnsubscribeExamples() throws Exception {
        AlpacaClientMessage sub = json("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"],\"quotes\":[\"AMD\",\"CLDR\"],"
                + "\"bars\":[\"*\"]}");
        AlpacaSubscription delta = ((Subscribe) sub).channels();
        assertThat(delta.trades()).containsExactly("AAPL");
        assertThat(delta.quotes()).containsExactly("AMD", "CLDR");
        assertThat(delta.bars()).containsExactly("*");
        assertThat(delta.updatedBars()).isEmpty();
        assertThat(delta.corrections()).isEmpty();
        assertThat(json("{\"action\":\"unsubscribe\",\"bars\":[\"*\"]}"))
                .isEqualTo(new Unsubscribe(AlpacaSubscription.EMPTY.with(AlpacaChannel.BARS, List.of("*"))));
    }

    @Test
    void missingEmptyAndNullChannelsMeanNoChange() throws Exception {
        assertThat(json("{\"action\":\"subscribe\"}")).isEqualTo(new Subscribe(AlpacaSubscription.EMPTY));
        assertThat(json("{\"trades\":[],\"quotes\":null,\"action\":\"subscribe\",\"lulds\":[\"IONM\"],\"extra\":{\"a\":1}}"))
                .isEqualTo(new Subscribe(AlpacaSubscription.EMPTY.with(AlpacaChannel.LULDS, List.of("IONM"))));
    }

    // ---- msgpack (the SDKs send every channel key, empty ones included) ----

    @Test
    void msgpackLikeTheSdks() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(8).packString("action").packString("subscribe");
        p.packString("trades").packArrayHeader(1).packString("AAPL");
        p.packString("quotes").packArrayHeader(2).packString("AMD").packString("CLDR");
        p.packString("bars").packArrayHeader(1).packString("*");
        for (String k : List.of("updatedBars", "dailyBars", "statuses")) p.packString(k).packArrayHeader(0);
        p.packString("lulds").packNil();
        assertThat(msgpack(p.toByteArray())).isEqualTo(json(
                "{\"action\":\"subscribe\",\"trades\":[\"AAPL\"],\"quotes\":[\"AMD\",\"CLDR\"],\"bars\":[\"*\"]}"));
        byte[] auth = MsgpackFrames.fromJson("{\"action\":\"auth\",\"key\":\"" + KEY + "\",\"secret\":\"" + SECRET + "\"}",
                TimeForm.STRING);
        assertThat(msgpack(auth)).isEqualTo(new Auth(KEY, SECRET));
    }

    @Test
    void encodersWriteTheDocumentedForms() throws Exception {
        assertThat(new String(AlpacaClientMessage.authJson(KEY, SECRET)))
                .isEqualTo("{\"action\":\"auth\",\"key\":\"PKTEST1234abcd\",\"secret\":\"s3cr3tValueWXYZ\"}");
        AlpacaSubscription delta = AlpacaSubscription.EMPTY.with(AlpacaChannel.TRADES, List.of("AAPL"))
                .with(AlpacaChannel.QUOTES, List.of("AMD", "CLDR")).with(AlpacaChannel.BARS, List.of("*"));
        assertThat(new String(AlpacaClientMessage.subscribeJson(delta)))
                .isEqualTo("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"],\"quotes\":[\"AMD\",\"CLDR\"],\"bars\":[\"*\"]}");
        assertThat(new String(AlpacaClientMessage.unsubscribeJson(
                AlpacaSubscription.EMPTY.with(AlpacaChannel.BARS, List.of("*")))))
                .isEqualTo("{\"action\":\"unsubscribe\",\"bars\":[\"*\"]}");
        for (AlpacaClientMessage m : List.of(new Auth(KEY, SECRET), new Subscribe(delta), new Unsubscribe(delta))) {
            assertThat(json(new String(m.toJson()))).isEqualTo(m);
            assertThat(msgpack(m.toMsgpack())).isEqualTo(m);
        }
    }

    // ---- malformed ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"action\":\"subscribe\",\"trades\":\"AAPL\"}|'trades' must be a list of symbols",
            "{\"action\":\"subscribe\",\"trades\":[\"AAPL\",5]}|'trades' must be a list of symbols",
            "{\"action\":\"subscribe\",\"bars\":{\"a\":1}}|'bars' must be a list of symbols",
            "{\"action\":\"subscribe\",\"quotes\":[\"\"]}|empty symbol in 'quotes'",
            "{\"trades\":[\"AAPL\"]}|missing 'action'",
            "{\"action\":5}|'action' must be a string",
            "{\"action\":\"listen\"}|unknown action",
            "{\"action\":\"auth\",\"key\":\"k\"}|auth needs 'key' and 'secret'",
            "{\"action\":\"auth\",\"key\":\"k\",\"secret\":null}|'secret' must be a string",
            "[{\"action\":\"auth\"}]|message is not a JSON object",
            "{\"action\":\"auth\"} {}|content after the message"})
    void malformedJson(String input, String reason) {
        assertThat(jsonError(input)).isEqualTo(reason);
    }

    @Test
    void brokenJsonNeverQuotesTheInput() {
        String truncated = "{\"action\":\"auth\",\"key\":\"" + KEY + "\",\"secret\":\"" + SECRET;
        assertThat(jsonError(truncated)).startsWith("invalid JSON at byte ").doesNotContain(SECRET).doesNotContain(KEY);
        String garbage = "{\"action\":\"auth\",\"key\":" + KEY + ",\"secret\":\"" + SECRET + "\"}";
        assertThat(jsonError(garbage)).startsWith("invalid JSON").doesNotContain("PKTEST").doesNotContain(SECRET);
        assertThat(jsonError("")).isEqualTo("message is not a JSON object");
    }

    @Test
    void malformedMsgpack() throws IOException {
        byte[] auth = new Auth(KEY, SECRET).toMsgpack();
        for (int cut = 0; cut < auth.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(auth, cut);
            String reason = catchThrowableOfType(AlpacaProtocolException.class, () -> msgpack(part)).getMessage();
            assertThat(reason).as("cut at %d", cut).isIn("invalid msgpack", "message is not a msgpack map");
        }
        byte[] array = {(byte) 0x90};
        assertThat(catchThrowableOfType(AlpacaProtocolException.class, () -> msgpack(array)).getMessage())
                .isEqualTo("message is not a msgpack map");
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(2).packString("action").packString("subscribe").packString("trades").packInt(1);
        assertThat(catchThrowableOfType(AlpacaProtocolException.class, () -> msgpack(p.toByteArray())).getMessage())
                .isEqualTo("'trades' must be a list of symbols");
    }

    // ---- masking ----

    @Test
    void toStringMasksCredentials() {
        Auth a = new Auth(KEY, SECRET);
        assertThat(a.toString()).isEqualTo("Auth[key=****abcd, secret=****WXYZ]")
                .doesNotContain("PKTEST").doesNotContain("s3cr3t");
        assertThat(new Auth("abc", "abcd").toString()).isEqualTo("Auth[key=****, secret=****]");
        assertThat(new Auth("abcdefgh", "abcdefghi").toString()).isEqualTo("Auth[key=****, secret=****fghi]");
    }
}
