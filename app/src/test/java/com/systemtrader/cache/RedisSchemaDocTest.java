package com.systemtrader.cache;

import static com.systemtrader.cache.CacheEvents.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * docs/REDIS_SCHEMA.md and the code agree: the documented example members are what the codec writes for the
 * documented events, every key in the key table exists with the documented Redis type after the writer wrote those
 * events, and every {@code redis-cli} command in the doc runs against that data and returns something.
 */
class RedisSchemaDocTest {
    private static final Path DOC = Path.of("docs/REDIS_SCHEMA.md");
    /** The events the doc's examples show (symbol AAPL). */
    static final List<MarketEvent> EXAMPLES = List.of(
            trade("AAPL", T0 + 123_456, 110.13, "7"),
            quote("AAPL", T0 + 40_000, 110.12, 110.14, 3),
            minuteBar(DataSource.POLYGON, "AAPL", T0, 110.2, 1234),
            halt("AAPL", T0),
            luld("AAPL", T0),
            imbalance("AAPL", T0));

    private static final Pattern KEY_ROW = Pattern.compile("^\\| `([^`]+)` \\| (ZSET|HASH|SET|STREAM|STRING) \\|");
    private static final Pattern MEMBER_ROW = Pattern.compile("^\\| `([a-z:0-9]+)` \\| `([a-z]+)` \\| `(\\{\"t\".*\\})` \\|");

    @Test void documentedMembersAreWhatTheCodecWrites() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher m = MEMBER_ROW.matcher(line);
            if (m.find()) documented.put(m.group(1) + "/" + m.group(2), m.group(3));
        }
        Map<String, String> actual = new LinkedHashMap<>();
        for (MarketEvent e : EXAMPLES) {
            actual.put(RedisKeys.typeToken(SeriesKey.of(e)) + "/" + RedisKeys.sourceToken(e.source()), RedisCodec.encode(e));
        }
        assertThat(documented).isEqualTo(actual);
    }

    @Test void documentedKeysAndCommandsWorkOnWhatTheWriterWrote() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        try (RedisTestServer server = RedisTestServer.start();
             RedisDataCache cache = new RedisDataCache(server.config(), null).start();
             Jedis j = server.jedis()) {
            cache.addAll(EXAMPLES);
            assertThat(cache.writer().awaitIdle(10_000)).isTrue();
            int keys = 0;
            for (String line : lines) {
                Matcher m = KEY_ROW.matcher(line);
                if (!m.find()) continue;
                String key = local(server, m.group(1));
                assertThat(j.type(key)).as(key).isEqualToIgnoringCase(m.group(2));
                keys++;
            }
            assertThat(keys).isGreaterThanOrEqualTo(8);
            int commands = 0;
            boolean inShell = false;
            for (String line : lines) {
                if (line.startsWith("```")) {
                    inShell = line.equals("```sh");
                    continue;
                }
                if (!inShell || !line.startsWith("redis-cli ")) continue;
                List<String> args = tokens(local(server, line.substring("redis-cli ".length())));
                Object reply = j.sendCommand(Protocol.Command.valueOf(args.get(0).toUpperCase()),
                        args.subList(1, args.size()).toArray(String[]::new));
                assertThat(reply).as(line).isNotNull();
                if (reply instanceof List<?> l) assertThat(l).as(line).isNotEmpty();
                commands++;
            }
            assertThat(commands).isGreaterThanOrEqualTo(6);
        }
    }

    /** The doc's {@code md:} keys under the test's own prefix. */
    private static String local(RedisTestServer server, String text) {
        return text.replaceAll("(?<![A-Za-z])md:", server.prefix + ":");
    }

    /** Splits a shell line: whitespace-separated, single quotes group (no escapes inside). */
    private static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) out.add(cur.toString());
        return out;
    }
}
