package com.systemtrader.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The writer's RESP encoding: exact bytes, and a real server that accepts them. */
class RespBufferTest {
    private static String text(RespBuffer b) {
        return new String(b.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test void encodesCommandsAndEveryArgumentKind() {
        RespBuffer b = new RespBuffer();
        b.command(3).arg("SET".getBytes(StandardCharsets.US_ASCII)).arg("k:{Ä}").arg(-42L);
        b.command(2).arg("ECHO").arg(new byte[] {'x', 'a', 'b', 'y'}, 1, 2);
        b.command(4).arg("ECHO").arg(0L).arg(Long.MIN_VALUE).arg(Long.MAX_VALUE);
        assertThat(text(b)).isEqualTo("*3\r\n$3\r\nSET\r\n$6\r\nk:{Ä}\r\n$3\r\n-42\r\n"
                + "*2\r\n$4\r\nECHO\r\n$2\r\nab\r\n"
                + "*4\r\n$4\r\nECHO\r\n$1\r\n0\r\n$20\r\n-9223372036854775808\r\n$19\r\n9223372036854775807\r\n");
        assertThat(b.commands()).isEqualTo(3);
        b.reset();
        assertThat(b.length()).isZero();
        assertThat(b.commands()).isZero();
    }

    @Test void growsPastItsInitialSizeAndARealServerReadsIt() throws Exception {
        RespBuffer b = new RespBuffer();
        byte[] big = new byte[200_000];
        java.util.Arrays.fill(big, (byte) 'z');
        try (RedisTestServer server = RedisTestServer.start(); Jedis j = server.jedis()) {
            String key = server.prefix + ":resp";
            b.command(3).arg("SET").arg(key).arg(big);
            b.command(3).arg("APPEND").arg(key).arg(7L);
            assertThat(b.length()).isGreaterThan(200_000);
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port)) { // the test server has no AUTH
                b.writeTo(s.getOutputStream());
                byte[] reply = s.getInputStream().readNBytes("+OK\r\n:200001\r\n".length());
                assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n:200001\r\n");
            }
            assertThat(j.strlen(key)).isEqualTo(200_001);
            j.del(key);
        }
    }
}
