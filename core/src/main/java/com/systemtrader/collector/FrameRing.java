package com.systemtrader.collector;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded hand-off between a connection's I/O thread (single producer) and the collector's pipeline thread
 * (single consumer). Slots carry either a frame (a retained {@link ByteBuf} plus its receive time) or a
 * connection signal, so the consumer sees signals in order with the frames around them.
 *
 * <p>Overflow policy: the producer asks for backpressure ({@link #aboveHighWatermark()}: pause socket reads, as
 * the providers' slow-consumer logic expects) at 3/4 of capacity; a frame that still finds the ring full is
 * released and counted as dropped (with the headroom this needs more than a quarter of the ring in flight inside
 * Netty, which its read loop does not do). Signals are never dropped: the producer spins for a slot.
 */
final class FrameRing {
    enum Kind { FRAME, SIGNAL }

    private final int mask;
    private final ByteBuf[] frames;
    private final long[] receiveNs;
    private final boolean[] binary;
    private final Object[] signals;
    private final AtomicLong head = new AtomicLong(); // next slot to read
    private final AtomicLong tail = new AtomicLong(); // next slot to write
    private final int highWatermark;
    private final int lowWatermark;
    private volatile Thread consumer;
    private volatile boolean consumerParked;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong highWater = new AtomicLong();

    FrameRing(int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 16) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 16, got " + capacity);
        }
        mask = capacity - 1;
        frames = new ByteBuf[capacity];
        receiveNs = new long[capacity];
        binary = new boolean[capacity];
        signals = new Object[capacity];
        highWatermark = capacity * 3 / 4;
        lowWatermark = capacity / 4;
    }

    void consumerThread(Thread t) {
        consumer = t;
    }

    // ---- producer (I/O thread) ----

    /** Enqueues a retained frame; returns false (and releases it) when the ring is full. */
    boolean offerFrame(ByteBuf frame, long receivedNs, boolean isBinary) {
        long t = tail.get();
        if (t - head.get() > mask) {
            frame.release();
            dropped.incrementAndGet();
            return false;
        }
        int i = (int) (t & mask);
        frames[i] = frame;
        receiveNs[i] = receivedNs;
        binary[i] = isBinary;
        signals[i] = null;
        tail.lazySet(t + 1);
        noteDepth(t + 1);
        wake();
        return true;
    }

    /** Enqueues a connection signal, waiting for a slot if the ring is full (signals are rare). */
    void offerSignal(Object signal) {
        while (true) {
            long t = tail.get();
            if (t - head.get() <= mask) {
                int i = (int) (t & mask);
                frames[i] = null;
                signals[i] = signal;
                receiveNs[i] = System.nanoTime();
                if (tail.compareAndSet(t, t + 1)) {
                    wake();
                    return;
                }
            } else {
                Thread.onSpinWait();
            }
        }
    }

    boolean aboveHighWatermark() { return size() >= highWatermark; }

    boolean belowLowWatermark() { return size() <= lowWatermark; }

    // ---- consumer (pipeline thread) ----

    /** Frames and signals waiting. */
    int size() { return (int) (tail.get() - head.get()); }

    boolean isEmpty() { return tail.get() == head.get(); }

    /** The slot at the head; valid until {@link #advance()}. */
    ByteBuf headFrame() { return frames[(int) (head.get() & mask)]; }

    Object headSignal() { return signals[(int) (head.get() & mask)]; }

    long headReceiveNs() { return receiveNs[(int) (head.get() & mask)]; }

    boolean headBinary() { return binary[(int) (head.get() & mask)]; }

    void advance() {
        long h = head.get();
        int i = (int) (h & mask);
        frames[i] = null;
        signals[i] = null;
        head.lazySet(h + 1);
    }

    /** Wakes the consumer whatever it is doing (for work outside the ring, e.g. commands); any thread. */
    void wakeConsumer() {
        Thread c = consumer;
        if (c != null) LockSupport.unpark(c);
    }

    /** Parks the consumer up to {@code nanos} unless something is waiting. */
    void awaitWork(long nanos) {
        if (!isEmpty()) return;
        consumerParked = true;
        if (isEmpty()) LockSupport.parkNanos(this, nanos);
        consumerParked = false;
    }

    long dropped() { return dropped.get(); }

    /** Largest depth seen since the last call. */
    long takeHighWater() { return highWater.getAndSet(size()); }

    int capacity() { return mask + 1; }

    private void noteDepth(long t) {
        long depth = t - head.get();
        if (depth > highWater.get()) highWater.set(depth);
    }

    private void wake() {
        if (consumerParked) {
            Thread c = consumer;
            if (c != null) LockSupport.unpark(c);
        }
    }
}
