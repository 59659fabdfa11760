package com.systemtrader.collector;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.SpscArrayQueue;

/**
 * FrameRing's contract on JCTools' SpscArrayQueue: the same watermarks (from size()), drop-and-release when full,
 * and the same consumer parking/waking scheme. A frame needs one holder object per slot (buffer, receive time,
 * binary flag), allocated by the producer: the queue holds references only.
 */
final class JcFrameRing {
    record Frame(ByteBuf buf, long receiveNs, boolean binary) {}

    private final SpscArrayQueue<Object> q;
    private final int capacity, highWatermark, lowWatermark;
    private volatile Thread consumer;
    private volatile boolean consumerParked;
    private final AtomicLong dropped = new AtomicLong();

    JcFrameRing(int capacity) {
        this.q = new SpscArrayQueue<>(capacity);
        this.capacity = capacity;
        highWatermark = capacity * 3 / 4;
        lowWatermark = capacity / 4;
    }

    void consumerThread(Thread t) { consumer = t; }

    boolean offerFrame(ByteBuf frame, long receivedNs, boolean isBinary) {
        if (!q.offer(new Frame(frame, receivedNs, isBinary))) {
            frame.release();
            dropped.incrementAndGet();
            return false;
        }
        wake();
        return true;
    }

    /** The queue alone: the buffer without receive time or binary flag (what FrameRing would lose). */
    boolean offerBare(ByteBuf frame) {
        if (!q.offer(frame)) {
            frame.release();
            dropped.incrementAndGet();
            return false;
        }
        wake();
        return true;
    }

    boolean aboveHighWatermark() { return q.size() >= highWatermark; }

    boolean belowLowWatermark() { return q.size() <= lowWatermark; }

    boolean isEmpty() { return q.isEmpty(); }

    Object poll() { return q.relaxedPoll(); }

    void awaitWork(long nanos) {
        if (!q.isEmpty()) return;
        consumerParked = true;
        if (q.isEmpty()) LockSupport.parkNanos(this, nanos);
        consumerParked = false;
    }

    long dropped() { return dropped.get(); }

    int capacity() { return capacity; }

    private void wake() {
        if (consumerParked) {
            Thread c = consumer;
            if (c != null) LockSupport.unpark(c);
        }
    }
}
