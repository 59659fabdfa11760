package com.systemtrader.collector;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;

/**
 * Piece 5: {@code RingBench framering|jctools [N]}: one producer (the I/O thread's role: offer a frame, pause at the
 * high watermark until the low one, as WebSocketConnection does) and one consumer (the pipeline's loop: drain up to
 * 1024, count bytes, park 1 ms when empty) hand over N frames (default 10,000,000) through a 65,536-slot ring.
 * The frame is one shared 64-byte ByteBuf (no refcounting in the loop), so the allocation measured is the hand-off's.
 * A warm-up of 2,000,000 frames precedes the measured run in the same JVM.
 */
public final class RingBench {
    static final int CAPACITY = 65_536;
    static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] a) throws Exception {
        String kind = a[0];
        long n = a.length > 1 ? Long.parseLong(a[1]) : 10_000_000L;
        run(kind, 2_000_000L, false);
        run(kind, n, true);
    }

    static void run(String kind, long n, boolean report) throws Exception {
        ByteBuf buf = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[64]));
        boolean fr = kind.equals("framering");
        boolean bare = kind.equals("jctools-bare");
        FrameRing ring = fr ? new FrameRing(CAPACITY) : null;
        JcFrameRing jc = fr ? null : new JcFrameRing(CAPACITY);
        long[] producerAlloc = new long[1], consumerAlloc = new long[1], pauses = new long[1], bytes = new long[1];
        Thread consumer = new Thread(() -> {
            long a0 = MX.getCurrentThreadAllocatedBytes();
            long got = 0, b = 0;
            while (got < n) {
                int k = 0;
                if (fr) {
                    while (k < 1024 && !ring.isEmpty()) {
                        ByteBuf f = ring.headFrame();
                        long rx = ring.headReceiveNs();
                        boolean bin = ring.headBinary();
                        ring.advance();
                        if (f != null && bin) b += f.readableBytes() + (rx & 1);
                        k++;
                    }
                    if (k == 0) ring.awaitWork(1_000_000L);
                } else {
                    Object o;
                    while (k < 1024 && (o = jc.poll()) != null) {
                        if (o instanceof JcFrameRing.Frame f && f.binary()) b += f.buf().readableBytes() + (f.receiveNs() & 1);
                        else if (o instanceof ByteBuf f) b += f.readableBytes();
                        k++;
                    }
                    if (k == 0) jc.awaitWork(1_000_000L);
                }
                got += k;
            }
            bytes[0] = b;
            consumerAlloc[0] = MX.getCurrentThreadAllocatedBytes() - a0;
        }, "pipeline");
        if (fr) ring.consumerThread(consumer);
        else jc.consumerThread(consumer);
        Thread producer = new Thread(() -> {
            long a0 = MX.getCurrentThreadAllocatedBytes();
            long p = 0;
            for (long i = 0; i < n; i++) {
                if (fr ? ring.aboveHighWatermark() : jc.aboveHighWatermark()) {   // pause reads until drained
                    p++;
                    while (!(fr ? ring.belowLowWatermark() : jc.belowLowWatermark())) Thread.yield();
                }
                boolean ok = fr ? ring.offerFrame(buf, i, true) : bare ? jc.offerBare(buf) : jc.offerFrame(buf, i, true);
                if (!ok) throw new IllegalStateException("dropped");
            }
            pauses[0] = p;
            producerAlloc[0] = MX.getCurrentThreadAllocatedBytes() - a0;
        }, "io");
        long t0 = System.nanoTime();
        consumer.start();
        producer.start();
        producer.join();
        consumer.join();
        long el = System.nanoTime() - t0;
        if (bytes[0] < n * 64) throw new IllegalStateException("lost frames");
        if (report) {
            System.out.printf("RESULT ring=%s frames=%d ops_per_s=%.0f alloc_bytes_per_op=%.2f (producer %.2f, consumer %.2f) pauses=%d%n",
                    kind, n, n / (el / 1e9), (producerAlloc[0] + consumerAlloc[0]) / (double) n,
                    producerAlloc[0] / (double) n, consumerAlloc[0] / (double) n, pauses[0]);
        }
    }
}
