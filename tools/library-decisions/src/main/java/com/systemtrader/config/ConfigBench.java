package com.systemtrader.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Piece 2. {@code ConfigBench errors FILE}: the messages both binders give for FILE.
 * {@code ConfigBench time handwritten|jackson FILE}: first load in this JVM (cold), then the median of the last 200 of
 * 3 s of loads (warm).
 */
public final class ConfigBench {
    static final YAMLMapper STRICT = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    public static void main(String[] a) throws Exception {
        Path file = Path.of(a[a.length - 1]);
        if (a[0].equals("errors")) {
            System.out.println("--- hand-written (ConfigLoader.load) ---");
            try {
                ConfigLoader.load(file, Map.of());
                System.out.println("(loaded without problems)");
            } catch (ConfigException e) {
                System.out.println(e.getMessage());
            }
            System.out.println("--- Jackson databind, FAIL_ON_UNKNOWN_PROPERTIES (stock) ---");
            try {
                STRICT.readValue(file.toFile(), JacksonConfig.Root.class);
                System.out.println("(loaded without problems)");
            } catch (Exception e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            System.out.println("--- Jackson databind + a DeserializationProblemHandler that collects (custom code) ---");
            List<String> problems = new ArrayList<>();
            YAMLMapper collecting = YAMLMapper.builder().addHandler(new DeserializationProblemHandler() {
                @Override
                public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> d,
                                                     Object bean, String name) throws java.io.IOException {
                    problems.add(file + ":" + p.currentLocation().getLineNr() + ": unknown key " + name
                            + " (known: " + d.getKnownPropertyNames() + ")");
                    p.skipChildren();
                    return true;
                }

                @Override
                public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> type, String value,
                                                     String msg) {
                    problems.add(file + ":" + ctxt.getParser().currentLocation().getLineNr() + ": " + msg);
                    return null;
                }
            }).build();
            try {
                collecting.readValue(file.toFile(), JacksonConfig.Root.class);
            } catch (Exception e) {
                problems.add("then failed: " + e.getMessage());
            }
            problems.forEach(System.out::println);
            return;
        }
        boolean hand = a[1].equals("handwritten");
        int n = 200;
        long[] t = new long[n];
        long s0 = System.nanoTime();
        Object first = load(hand, file);
        long cold = System.nanoTime() - s0;
        // warm: load for 3 s (JIT settles), keep the times of the last n loads
        long until = System.nanoTime() + 3_000_000_000L;
        int i = 0;
        while (System.nanoTime() < until || i < n) {
            long s = System.nanoTime();
            load(hand, file);
            t[i++ % n] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        System.out.printf("RESULT binder=%s cold_ms=%.2f warm_median_us=%.1f (%s)%n", a[1], a[1] == null ? 0 : cold / 1e6,
                t[n / 2] / 1e3, first.getClass().getSimpleName());
    }

    static Object load(boolean hand, Path file) throws Exception {
        if (hand) return ConfigLoader.load(file, Map.of());
        // a fresh read of the file each time, as ConfigLoader does; the mapper is shared (as it would be)
        return STRICT.readValue(Files.readString(file), JacksonConfig.Root.class);
    }
}
