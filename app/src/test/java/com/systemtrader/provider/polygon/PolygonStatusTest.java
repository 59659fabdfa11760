package com.systemtrader.provider.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolygonStatusTest {

    @Test
    void constantsAreTheExactServerStrings() {
        assertThat(PolygonStatus.connected()).isEqualTo(new PolygonStatus("connected", "Connected Successfully"));
        assertThat(PolygonStatus.authSuccess()).isEqualTo(new PolygonStatus("auth_success", "authenticated"));
        assertThat(PolygonStatus.authFailed()).isEqualTo(new PolygonStatus("auth_failed", "authentication failed"));
        assertThat(PolygonStatus.authTimeout())
                .isEqualTo(new PolygonStatus("auth_timeout", "No authentication request received."));
        assertThat(PolygonStatus.maxConnections())
                .isEqualTo(new PolygonStatus("max_connections", "Maximum number of connections exceeded."));
        assertThat(PolygonStatus.notAuthorized()).isEqualTo(new PolygonStatus("error", "not authorized"));
        assertThat(PolygonStatus.subscribed("T.AAPL")).isEqualTo(new PolygonStatus("success", "subscribed to: T.AAPL"));
        assertThat(PolygonStatus.unsubscribed("Q.AAPL"))
                .isEqualTo(new PolygonStatus("success", "unsubscribed to: Q.AAPL"));
        assertThat(PolygonStatus.authRequired().status()).isEqualTo("auth_required");
        assertThat(PolygonStatus.slowConsumer().status()).isEqualTo("slow_consumer");
        assertThat(PolygonStatus.forceDisconnect().status()).isEqualTo("force_disconnect");
    }

    @Test
    void acceptsBothGreetings() {
        assertThat(PolygonStatus.connected().isConnected()).isTrue();
        assertThat(new PolygonStatus("success", "Connected Successfully").isConnected()).isTrue();
        assertThat(PolygonStatus.subscribed("T.AAPL").isConnected()).isFalse();
        assertThat(PolygonStatus.authSuccess().isConnected()).isFalse();
    }

    @Test
    void classifiesAuthResultsAndDisconnects() {
        assertThat(PolygonStatus.authSuccess().isAuthSuccess()).isTrue();
        assertThat(PolygonStatus.authFailed().isAuthFailed()).isTrue();
        assertThat(PolygonStatus.authFailed().isFatal()).isTrue();
        assertThat(PolygonStatus.authFailed().isDisconnect()).isFalse();
        assertThat(PolygonStatus.authRequired().isAuthRequired()).isTrue();
        assertThat(PolygonStatus.notAuthorized().isError()).isTrue();
        assertThat(PolygonStatus.notAuthorized().isFatal()).isFalse();
        for (PolygonStatus s : new PolygonStatus[] {PolygonStatus.authTimeout(), PolygonStatus.maxConnections(),
                PolygonStatus.slowConsumer(), PolygonStatus.forceDisconnect()}) {
            assertThat(s.isDisconnect()).as(s.status()).isTrue();
        }
        assertThat(PolygonStatus.maxConnections().isMaxConnections()).isTrue();
        assertThat(PolygonStatus.slowConsumer().isSlowConsumer()).isTrue();
        assertThat(PolygonStatus.forceDisconnect().isForceDisconnect()).isTrue();
        assertThat(PolygonStatus.authTimeout().isAuthTimeout()).isTrue();
        assertThat(PolygonStatus.connected().isDisconnect()).isFalse();
    }

    @Test
    void extractsAckTopics() {
        assertThat(PolygonStatus.subscribed("Q.BRK.A").subscribedTopic()).isEqualTo("Q.BRK.A");
        assertThat(PolygonStatus.subscribed("AM.*").unsubscribedTopic()).isNull();
        assertThat(PolygonStatus.unsubscribed("Q.AAPL").unsubscribedTopic()).isEqualTo("Q.AAPL");
        assertThat(PolygonStatus.unsubscribed("Q.AAPL").subscribedTopic()).isNull();
        assertThat(new PolygonStatus("error", "subscribed to: T.AAPL").subscribedTopic()).isNull();
        assertThat(new PolygonStatus("success", "subscribed to: ").subscribedTopic()).isNull();
        assertThat(PolygonStatus.connected().subscribedTopic()).isNull();
    }

    @Test
    void nullMessageBecomesEmptyAndNullStatusIsRejected() {
        assertThat(new PolygonStatus("slow_consumer", null).message()).isEmpty();
        assertThatThrownBy(() -> new PolygonStatus(null, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
