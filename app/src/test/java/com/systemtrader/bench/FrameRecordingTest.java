package com.systemtrader.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameRecordingTest {
    @TempDir Path dir;

    @Test
    void savesAndLoadsFramesExactly() throws IOException {
        Map<RecordedFeed, FrameRecording> in = new EnumMap<>(RecordedFeed.class);
        in.put(RecordedFeed.POLYGON_TRADES, new FrameRecording(RecordedFeed.POLYGON_TRADES, List.of(
                new RecordedFrame("[{\"ev\":\"T\"}]".getBytes(StandardCharsets.UTF_8), false, 1L),
                new RecordedFrame(new byte[0], false, Long.MAX_VALUE))));
        in.put(RecordedFeed.ALPACA_TRADES_MSGPACK, new FrameRecording(RecordedFeed.ALPACA_TRADES_MSGPACK,
                List.of(new RecordedFrame(new byte[] {(byte) 0x91, (byte) 0x80}, true, -5L))));
        Path f = dir.resolve("sub/frames.bin");
        FrameRecording.save(f, "test recording", in);

        assertThat(FrameRecording.description(f)).isEqualTo("test recording");
        Map<RecordedFeed, FrameRecording> out = FrameRecording.load(f);
        assertThat(out.keySet()).containsExactly(RecordedFeed.POLYGON_TRADES, RecordedFeed.ALPACA_TRADES_MSGPACK);
        for (RecordedFeed feed : in.keySet()) {
            List<RecordedFrame> a = in.get(feed).frames();
            List<RecordedFrame> b = out.get(feed).frames();
            assertThat(b).hasSameSizeAs(a);
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i).bytes()).isEqualTo(a.get(i).bytes());
                assertThat(b.get(i).binary()).isEqualTo(a.get(i).binary());
                assertThat(b.get(i).receiveTimeNs()).isEqualTo(a.get(i).receiveTimeNs());
            }
            assertThat(out.get(feed).bytes()).isEqualTo(in.get(feed).bytes());
        }
        assertThat(out.get(RecordedFeed.POLYGON_TRADES).first(1).frames()).hasSize(1);
    }

    @Test
    void rejectsForeignAndTruncatedFiles() throws IOException {
        Path foreign = dir.resolve("foreign.bin");
        Files.writeString(foreign, "not a recording at all");
        assertThatThrownBy(() -> FrameRecording.load(foreign)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a frame recording");
        Path good = dir.resolve("good.bin");
        FrameRecording.save(good, "x", Map.of(RecordedFeed.POLYGON_QUOTES, new FrameRecording(
                RecordedFeed.POLYGON_QUOTES, List.of(new RecordedFrame(new byte[100], false, 0)))));
        byte[] all = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 10));
        assertThatThrownBy(() -> FrameRecording.load(cut)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void replayCountsMessagesAndMeasuresAllocation() {
        byte[] trade = ("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"1\",\"p\":1.5,\"s\":1,\"t\":1717099200123},"
                + "{\"ev\":\"T\",\"sym\":\"MSFT\",\"i\":\"2\",\"p\":2.5,\"s\":2,\"t\":1717099200124}]")
                .getBytes(StandardCharsets.UTF_8);
        FrameRecording r = new FrameRecording(RecordedFeed.POLYGON_TRADES,
                List.of(new RecordedFrame(trade, false, 1L), new RecordedFrame(trade, false, 2L)));
        FrameReplay replay = new FrameReplay(r, BenchStages.create(BenchStages.DECODE));
        assertThat(replay.messagesPerPass()).isEqualTo(4);
        ReplayRun run = replay.run(5_000_000L);
        assertThat(run.frames()).isPositive();
        assertThat(run.messages()).isEqualTo(run.frames() * 2);
        assertThat(run.errors()).isZero();
        if (FrameReplay.allocationMeasured()) assertThat(run.bytesPerMessage()).isGreaterThan(40);
        assertThat(replay.checksum()).isNotZero();

        FrameReplay cleaned = new FrameReplay(r, BenchStages.create(BenchStages.CLEAN));
        ReplayRun c = cleaned.run(5_000_000L);
        assertThat(c.messages()).isEqualTo(c.frames() * 2);
        assertThat(c.errors()).isZero();
        assertThatThrownBy(() -> BenchStages.create("enrich")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("enrich");
    }
}
