package com.systemtrader.provider.alpaca;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlpacaControlTest {

    @Test
    void errorCodesAndHelpers() {
        int[] codes = {400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 500};
        for (int code : codes) {
            AlpacaError e = AlpacaError.of(code);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.msg()).isNotEmpty();
            assertThat(e.isFatal()).as("fatal %d", code).isEqualTo(code == 402 || code == 408 || code == 409 || code == 411);
            assertThat(e.isConnectionLimit()).isEqualTo(code == 406);
        }
        assertThat(AlpacaError.of(410).msg()).isEqualTo("invalid subscribe action for this feed");
        assertThat(AlpacaError.of(402)).isSameAs(AlpacaError.AUTH_FAILED);
        assertThat(AlpacaError.of(418)).isEqualTo(new AlpacaError(418, ""));
        assertThat(AlpacaError.of(407, "slow client")).isSameAs(AlpacaError.SLOW_CLIENT);
        assertThat(AlpacaError.of(407, "too slow")).isEqualTo(new AlpacaError(407, "too slow"));
    }

    @Test
    void successConstants() {
        assertThat(AlpacaSuccess.of("connected")).isSameAs(AlpacaSuccess.CONNECTED);
        assertThat(AlpacaSuccess.of("authenticated").isAuthenticated()).isTrue();
        assertThat(AlpacaSuccess.of("other")).isEqualTo(new AlpacaSuccess("other"));
    }

    @Test
    void channelsAndWireKeys() {
        assertThat(AlpacaChannel.values()).extracting(AlpacaChannel::wireKey).containsExactly("trades", "quotes",
                "bars", "updatedBars", "dailyBars", "statuses", "imbalances", "lulds", "corrections", "cancelErrors");
        assertThat(AlpacaChannel.fromWireKey("cancelErrors")).isEqualTo(AlpacaChannel.CANCEL_ERRORS);
        assertThat(AlpacaChannel.fromWireKey("orderbooks")).isNull();
    }

    @Test
    void subscriptionStateFollowsTheDocumentedSession() {
        // §2.3: subscribe trades/quotes/bars, then unsubscribe bars
        AlpacaSubscription delta = AlpacaSubscription.EMPTY.with(AlpacaChannel.TRADES, List.of("AAPL"))
                .with(AlpacaChannel.QUOTES, List.of("AMD", "CLDR")).with(AlpacaChannel.BARS, List.of("*"));
        AlpacaSubscription state = AlpacaSubscription.EMPTY.applySubscribe(delta);
        assertThat(state.trades()).containsExactly("AAPL");
        assertThat(state.quotes()).containsExactly("AMD", "CLDR");
        assertThat(state.bars()).containsExactly("*");
        assertThat(state.corrections()).containsExactly("AAPL");
        assertThat(state.cancelErrors()).containsExactly("AAPL");
        AlpacaSubscription after = state.applyUnsubscribe(AlpacaSubscription.EMPTY.with(AlpacaChannel.BARS, List.of("*")));
        assertThat(after).isEqualTo(state.with(AlpacaChannel.BARS, List.of()));
        // subscribing again adds only what is new, keeping order; unsubscribing trades drops the mirrors too
        AlpacaSubscription more = after.applySubscribe(AlpacaSubscription.EMPTY.with(AlpacaChannel.TRADES,
                List.of("MSFT", "AAPL")));
        assertThat(more.trades()).containsExactly("AAPL", "MSFT");
        assertThat(more.cancelErrors()).containsExactly("AAPL", "MSFT");
        AlpacaSubscription less = more.applyUnsubscribe(AlpacaSubscription.EMPTY.with(AlpacaChannel.TRADES,
                List.of("AAPL")));
        assertThat(less.trades()).containsExactly("MSFT");
        assertThat(less.corrections()).containsExactly("MSFT");
        assertThat(less.quotes()).containsExactly("AMD", "CLDR");
        assertThat(AlpacaSubscription.EMPTY.isEmpty()).isTrue();
        assertThat(less.isEmpty()).isFalse();
    }

    @Test
    void wireFormatFromContentType() {
        assertThat(AlpacaWireFormat.fromContentType("application/msgpack")).isEqualTo(AlpacaWireFormat.MSGPACK);
        assertThat(AlpacaWireFormat.fromContentType(" Application/MsgPack; charset=x")).isEqualTo(AlpacaWireFormat.MSGPACK);
        assertThat(AlpacaWireFormat.fromContentType("application/json")).isEqualTo(AlpacaWireFormat.JSON);
        assertThat(AlpacaWireFormat.fromContentType(null)).isEqualTo(AlpacaWireFormat.JSON);
        assertThat(AlpacaWireFormat.MSGPACK.binaryFrames()).isTrue();
        assertThat(AlpacaWireFormat.JSON.newDecoder(new com.systemtrader.codec.SymbolTable(),
                com.systemtrader.schema.DataSource.ALPACA)).isInstanceOf(AlpacaDecoder.class);
    }
}
