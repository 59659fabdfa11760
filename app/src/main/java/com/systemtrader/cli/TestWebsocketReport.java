package com.systemtrader.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.systemtrader.clean.QualityReport;
import com.systemtrader.collector.CollectorSnapshot;
import com.systemtrader.collector.Gap;
import com.systemtrader.collector.GapLedger;
import com.systemtrader.schema.RecordType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a {@code test-websocket} run found, as text ({@link #lines()}) and as JSON ({@link #writeJson}); both carry
 * the same figures. Times are ISO-8601 UTC; rates per second; latencies in milliseconds.
 *
 * @param provider          {@code polygon} or {@code alpaca}
 * @param url               the stream dialled
 * @param channels          the channels subscribed
 * @param symbols           the symbols asked for
 * @param startedAt         when the run started
 * @param seconds           how long it ran
 * @param streamingSeconds  from the first STREAMING to the end; 0 if it never streamed
 * @param finalState        the collector's state at the end, before it was stopped
 * @param finalDetail       why it was in that state
 * @param messages          data messages received (all types)
 * @param averagePerSecond  messages per streaming second (per second run, if it never streamed)
 * @param byType            messages per type
 * @param bySymbol          messages per symbol and type
 * @param latencyMs         event time to receive time, trades and quotes
 * @param reconnectsByCause reconnects per cause ({@code connect-failed}, {@code stale}, {@code heartbeat}...)
 * @param gaps              outages from the gap ledger and the sequence-gap count
 * @param errors            what could not be used
 * @param symbolsWithoutData requested symbols of which nothing arrived
 * @param quality           the data cleaner's quality report ({@code --check-quality}); absent without that flag
 * @param outcome           the exit code and its reason
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TestWebsocketReport(String provider, String url, List<String> channels, List<String> symbols,
                           String startedAt, double seconds, double streamingSeconds, String finalState,
                           String finalDetail, long messages, double averagePerSecond, Map<RecordType, Long> byType,
                           Map<String, Map<RecordType, Long>> bySymbol, Latency latencyMs,
                           Map<String, Long> reconnectsByCause, Gaps gaps, Errors errors,
                           List<String> symbolsWithoutData, QualityReport quality, Outcome outcome) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record Latency(double p50, double p99, double max) {}

    /** @param outages oldest first, at most the ledger's bound; {@code end} is null while one is open */
    record Gaps(long outageCount, List<Outage> outages, long sequenceGaps, long sequenceNumbersMissing) {}

    record Outage(String start, String end, double seconds, String cause) {}

    record Errors(long decodeErrors, long unknownTypes, long ringDropped, long backpressurePauses,
                  long filteredUnsubscribed, long listenerErrors) {}

    /** @param result {@code ok}, {@code rejected}, {@code failed}, {@code unreachable} or {@code no-data} */
    record Outcome(int exitCode, String result, String reason) {}

    static Gaps gaps(GapLedger ledger) {
        List<Outage> list = new ArrayList<>();
        for (Gap g : ledger.gaps()) {
            list.add(new Outage(time(g.startNs()), g.isOpen() ? null : time(g.endNs()),
                    g.isOpen() ? 0 : round((g.endNs() - g.startNs()) / 1e9), g.cause()));
        }
        return new Gaps(ledger.outageCount(), list, ledger.sequenceGapCount(), ledger.sequenceNumbersMissing());
    }

    static Latency latency(CollectorSnapshot s) {
        return new Latency(round(s.latencyP50Ms()), round(s.latencyP99Ms()), round(s.latencyMaxMs()));
    }

    static Errors errors(CollectorSnapshot s) {
        return new Errors(s.decodeErrors(), s.unknownTypes(), s.ringDropped(), s.backpressurePauses(),
                s.filteredUnsubscribed(), s.listenerErrors());
    }

    static String time(long epochNs) {
        return Instant.ofEpochSecond(0, epochNs).toString();
    }

    static double round(double v) {
        return Math.round(v * 1_000) / 1_000.0;
    }

    void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        JSON.writeValue(file.toFile(), this);
    }

    /** The human-readable report. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("test-websocket report: " + provider + " " + url + " channels " + String.join(",", channels)
                + " symbols " + String.join(",", symbols));
        out.add(f("  ran %.1f s (streaming %.1f s) from %s; final state %s (%s)", seconds, streamingSeconds,
                startedAt, finalState, finalDetail));
        out.add(f("  messages %,d (%,.1f/s average)%s", messages, averagePerSecond,
                byType.isEmpty() ? "" : ": " + counts(byType)));
        if (!bySymbol.isEmpty()) {
            out.add("  per symbol:");
            bySymbol.forEach((sym, m) -> out.add(f("    %-8s %s", sym, counts(m))));
        }
        if (!symbolsWithoutData.isEmpty()) out.add("  no data for: " + String.join(", ", symbolsWithoutData));
        out.add(f("  latency (event to receive, trades and quotes): p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                latencyMs.p50(), latencyMs.p99(), latencyMs.max()));
        out.add("  reconnects: " + (reconnectsByCause.isEmpty() ? "none" : reconnectsByCause.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        out.add(f("  gaps: %d outage(s); sequence gaps %,d (%,d numbers skipped)", gaps.outageCount(),
                gaps.sequenceGaps(), gaps.sequenceNumbersMissing()));
        for (Outage o : gaps.outages()) {
            out.add("    " + o.start() + " -> " + (o.end() == null ? "(open)" : o.end() + f(" (%.3f s)", o.seconds()))
                    + " cause " + o.cause());
        }
        out.add(f("  decode errors %,d, unknown types %,d, ring drops %,d, backpressure pauses %,d, "
                        + "filtered (unsubscribed) %,d, listener errors %,d", errors.decodeErrors(),
                errors.unknownTypes(), errors.ringDropped(), errors.backpressurePauses(), errors.filteredUnsubscribed(),
                errors.listenerErrors()));
        if (quality != null) out.addAll(quality.lines());
        out.add("  result: " + outcome.result() + (outcome.reason().isEmpty() ? "" : " (" + outcome.reason() + ")")
                + ", exit " + outcome.exitCode());
        return out;
    }


    private static String counts(Map<RecordType, Long> m) {
        return m.entrySet().stream().map(e -> f("%s %,d", e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
