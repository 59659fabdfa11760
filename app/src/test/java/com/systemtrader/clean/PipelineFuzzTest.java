package com.systemtrader.clean;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.collector.FeedProtocol;
import com.systemtrader.provider.alpaca.AlpacaFeedProtocol;
import com.systemtrader.provider.polygon.PolygonFeedProtocol;
import com.systemtrader.schema.MarketEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated frames through the decoders and the cleaner, wired as the collector wires them: nothing may
 * escape but {@link MalformedFrameException} (which the collector turns into a quarantined malformed frame), and
 * every message ends in exactly one outcome. Iterations: {@code -Dfuzz.iterations=N} (default 20,000 per feed).
 */
class PipelineFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 20_000);
    private static final long NOW = System.currentTimeMillis();

    private static final List<String> POLYGON = List.of(
            "[{\"ev\":\"T\",\"sym\":\"AAPL\",\"x\":4,\"i\":\"52983525029461\",\"z\":3,\"p\":114.125,\"s\":100,"
                    + "\"c\":[0,12],\"t\":" + NOW + ",\"q\":3135,\"trfi\":202,\"trft\":" + NOW + "}]",
            "[{\"ev\":\"Q\",\"sym\":\"MSFT\",\"bx\":4,\"bp\":114.125,\"bs\":100,\"ax\":7,\"ap\":114.128,\"as\":160,"
                    + "\"c\":0,\"i\":[604],\"t\":" + NOW + ",\"q\":50385480,\"z\":3}]",
            "[{\"ev\":\"AM\",\"sym\":\"GTE\",\"v\":4110,\"av\":9470157,\"op\":0.4372,\"vw\":0.4488,\"o\":0.4488,"
                    + "\"c\":0.4486,\"h\":0.4489,\"l\":0.4486,\"a\":0.4352,\"z\":685,\"s\":" + NOW + ",\"e\":" + (NOW + 60_000)
                    + "}]",
            "[{\"ev\":\"LULD\",\"T\":\"MSFT\",\"h\":218.96,\"l\":198.11,\"i\":[21],\"z\":3,\"t\":" + NOW + "000,\"q\":1}]",
            "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"authenticated\"}]");
    private static final String ISO = java.time.Instant.ofEpochMilli(NOW).toString();
    private static final List<String> ALPACA = List.of(
            "[{\"T\":\"t\",\"i\":96921,\"S\":\"AAPL\",\"x\":\"D\",\"p\":126.55,\"s\":1,\"t\":\"" + ISO + "\","
                    + "\"c\":[\"@\",\"I\"],\"z\":\"C\"}]",
            "[{\"T\":\"q\",\"S\":\"AMD\",\"bx\":\"U\",\"bp\":87.66,\"bs\":1,\"ax\":\"Q\",\"ap\":87.68,\"as\":4,"
                    + "\"t\":\"" + ISO + "\",\"c\":[\"R\"],\"z\":\"C\"}]",
            "[{\"T\":\"b\",\"S\":\"SPY\",\"o\":388.985,\"h\":389.13,\"l\":388.975,\"c\":389.12,\"v\":49378,"
                    + "\"t\":\"" + ISO + "\",\"n\":461,\"vw\":389.062639}]",
            "[{\"T\":\"c\",\"S\":\"EEM\",\"x\":\"M\",\"oi\":52983525033527,\"op\":39.1,\"os\":440000,\"oc\":[\"@\"],"
                    + "\"ci\":52983525033528,\"cp\":39.1,\"cs\":440000,\"cc\":[\"@\"],\"z\":\"B\",\"t\":\"" + ISO + "\"}]",
            "[{\"T\":\"x\",\"S\":\"AAPL\",\"i\":96921,\"x\":\"D\",\"p\":126.55,\"s\":1,\"a\":\"C\",\"z\":\"C\","
                    + "\"t\":\"" + ISO + "\"}]");
    private static final String[] TOKENS = {"NaN", "Infinity", "-Infinity", "\"NaN\"", "1e400", "-1e400",
            "99999999999999999999999", "-0", "[]", "{}", "null", "true", "\"\"", "\"\\u0000\"", "[[[[[[[[", "]]]",
            "\"T\":\"zz\"", "\"ev\":\"??\"", ",", ":", "\"", "\\", "0.0", "-1"};

    @Test void polygonFramesNeverEscapeAndAreAllAccountedFor() {
        fuzz(new PolygonFeedProtocol("stocks", () -> "key", r -> false), POLYGON, 1);
    }

    @Test void alpacaFramesNeverEscapeAndAreAllAccountedFor() {
        fuzz(new AlpacaFeedProtocol("sip", () -> new String[] {"id", "secret"}, r -> false), ALPACA, 2);
    }

    private static void fuzz(FeedProtocol protocol, List<String> seeds, long seed) {
        DataCleaner cleaner = DataCleaner.withDefaults(protocol.source().name().toLowerCase(), protocol.feedName());
        long[] received = new long[1];
        FrameHandler handler = new FrameHandler() {
            @Override public void onEvent(MarketEvent e) {
                received[0]++;
                cleaner.clean(e, true);
            }

            @Override public void onControl(ControlMessage message) { }

            @Override public void onUnknown(String type) {
                received[0]++;
                cleaner.unknownType(type);
            }
        };
        SplittableRandom random = new SplittableRandom(seed);
        long malformed = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] frame = mutate(seeds.get(random.nextInt(seeds.size())).getBytes(StandardCharsets.UTF_8), random);
            long rx = NOW * 1_000_000L;
            cleaner.beginFrame(frame, 0, frame.length, false, rx);
            try {
                protocol.decode(frame, 0, frame.length, false, rx, handler);
            } catch (MalformedFrameException e) {
                received[0]++;
                malformed++;
                cleaner.malformedFrame(e.getMessage());
                if (frame.length >= 16) {
                    assertThat(e.getMessage()).doesNotContain(new String(frame, StandardCharsets.UTF_8));
                }
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("escaped on frame " + new String(frame, StandardCharsets.UTF_8), e);
            } finally {
                cleaner.endFrame();
            }
        }
        CleanerSnapshot.Figures f = cleaner.snapshot().total();
        assertThat(f.received()).as("every message in one outcome").isEqualTo(received[0]);
        assertThat(f.rule(Rule.MALFORMED_FRAME)).isEqualTo(malformed).isPositive();
        assertThat(f.outcome(Outcome.ACCEPTED)).as("mutations leave some frames valid").isPositive();
        assertThat(f.outcome(Outcome.REJECTED)).isGreaterThanOrEqualTo(malformed);
    }

    /** One to three mutations: truncation, byte flips, invalid UTF-8, token insertion, deep nesting. */
    private static byte[] mutate(byte[] b, SplittableRandom r) {
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) {
            switch (r.nextInt(7)) {
                case 0 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 1 -> {
                    if (b.length > 0) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                case 2 -> b = insert(b, r.nextInt(b.length + 1), new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
                case 3 -> b = insert(b, r.nextInt(b.length + 1),
                        TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                case 4 -> b = replaceNumber(b, r);
                case 5 -> {
                    if (r.nextInt(50) == 0) b = ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.UTF_8);
                }
                default -> { }
            }
        }
        return b;
    }

    /** Replaces one number with a hostile token (keeps the JSON shape, changes the value). */
    private static byte[] replaceNumber(byte[] b, SplittableRandom r) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(-?[0-9][0-9.]*)").matcher(s);
        List<int[]> spans = new java.util.ArrayList<>();
        while (m.find()) spans.add(new int[] {m.start(1), m.end(1)});
        if (spans.isEmpty()) return b;
        int[] sp = spans.get(r.nextInt(spans.size()));
        String[] hostile = {"NaN", "1e400", "-5", "0", "99999999999999999999999", "\"7\"", "[]", "1.5e308",
                "-0.0", "123456789012345678901234567890"};
        return (s.substring(0, sp[0]) + hostile[r.nextInt(hostile.length)] + s.substring(sp[1]))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }
}
