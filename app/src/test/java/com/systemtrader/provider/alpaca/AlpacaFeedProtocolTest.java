package com.systemtrader.provider.alpaca;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.collector.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the collector's Alpaca protocol puts on the wire in each format: the upgrade header and its own messages. */
class AlpacaFeedProtocolTest {
    private static AlpacaFeedProtocol protocol(AlpacaWireFormat format) {
        return new AlpacaFeedProtocol("sip", format, () -> new String[] {"KEYID", "SECRET"}, r -> false);
    }

    @Test
    void msgpackIsTheDefaultAndAsksForItOnTheUpgradeAsTheOfficialSdks() throws Exception {
        AlpacaFeedProtocol p = new AlpacaFeedProtocol("sip", () -> new String[] {"KEYID", "SECRET"}, r -> false);
        assertThat(p.wireFormat()).isEqualTo(AlpacaWireFormat.MSGPACK);
        assertThat(p.upgradeHeaders().get("Content-Type")).isEqualTo("application/msgpack");

        OutboundMessage auth = p.authMessage();
        assertThat(auth.binary()).isTrue();
        assertThat(AlpacaClientMessage.parseMsgpack(auth.payload(), 0, auth.payload().length))
                .isEqualTo(new AlpacaClientMessage.Auth("KEYID", "SECRET"));
        assertThat(auth.toString()).doesNotContain("SECRET");

        List<OutboundMessage> sub = p.subscribeMessages(Map.of("trades", Set.of("AAPL")));
        assertThat(sub).hasSize(1);
        assertThat(sub.getFirst().binary()).isTrue();
        AlpacaClientMessage m = AlpacaClientMessage.parseMsgpack(sub.getFirst().payload(), 0,
                sub.getFirst().payload().length);
        assertThat(m).isInstanceOf(AlpacaClientMessage.Subscribe.class);
        assertThat(((AlpacaClientMessage.Subscribe) m).channels().symbols(AlpacaChannel.TRADES)).containsExactly("AAPL");

        OutboundMessage unsub = p.unsubscribeMessages(Map.of("quotes", Set.of("MSFT"))).getFirst();
        assertThat(AlpacaClientMessage.parseMsgpack(unsub.payload(), 0, unsub.payload().length))
                .isInstanceOf(AlpacaClientMessage.Unsubscribe.class);
        assertThat(p.subscribeMessages(Map.of())).isEmpty();
    }

    @Test
    void jsonStaysSelectable() {
        AlpacaFeedProtocol p = protocol(AlpacaWireFormat.JSON);
        assertThat(p.upgradeHeaders().get("Content-Type")).isEqualTo("application/json");
        OutboundMessage auth = p.authMessage();
        assertThat(auth.binary()).isFalse();
        assertThat(auth.text()).isEqualTo("{\"action\":\"auth\",\"key\":\"KEYID\",\"secret\":\"SECRET\"}");
        OutboundMessage sub = p.subscribeMessages(Map.of("trades", Set.of("AAPL"))).getFirst();
        assertThat(sub.binary()).isFalse();
        assertThat(new String(sub.payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
    }

    @Test
    void configNames() {
        assertThat(AlpacaWireFormat.ofConfigName("msgpack")).isEqualTo(AlpacaWireFormat.MSGPACK);
        assertThat(AlpacaWireFormat.ofConfigName("json")).isEqualTo(AlpacaWireFormat.JSON);
        assertThat(AlpacaWireFormat.MSGPACK.configName()).isEqualTo("msgpack");
    }
}
