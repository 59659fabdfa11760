package com.systemtrader.clean;

import com.systemtrader.codec.MessagePackJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A rejected message: what it was, which rule refused it and why, and its bytes: the offending element alone when
 * the decoder could delimit it ({@link Scope#ELEMENT}: one JSON object, or one MessagePack map), else a bounded
 * prefix of the frame ({@link Scope#FRAME}: a frame that could not be split into elements).
 *
 * @param source        provider name ({@code polygon}, {@code alpaca})
 * @param feed          feed name ({@code stocks}, {@code v2/sip}...)
 * @param symbol        the event's symbol, or null for a frame that could not be decoded
 * @param type          the event's record type name, or null for a frame that could not be decoded
 * @param rule          the rule's label
 * @param reason        a specific reason (values and limits, never credentials)
 * @param receiveTimeNs when the frame was received, epoch ns
 * @param eventIndex    the element's position in the frame (0-based, every element counted) when the decoder
 *                      delimited it, else the event's position among the data events decoded from the frame; -1 for a
 *                      frame that could not be split
 * @param payload       the element's bytes ({@link Scope#ELEMENT}, up to {@link DataCleaner#MAX_PAYLOAD_BYTES}) or the
 *                      frame's first {@link DataCleaner#FRAME_PREFIX_BYTES} ({@link Scope#FRAME}); JSON text or
 *                      MessagePack bytes
 * @param payloadLength the full length in bytes of what {@code payload} was cut from (the element, or the frame):
 *                      larger than {@code payload.length} when truncated
 * @param binary        true when the frame was binary (MessagePack)
 * @param frameLength   the whole frame's length in bytes (context: how big the frame it came in was)
 * @param scope         whether {@code payload} is the element or a prefix of the frame
 * @param event         the decoded event (a record), or null for a frame that could not be decoded
 */
public record QuarantineRecord(String source, String feed, String symbol, String type, String rule, String reason,
                               long receiveTimeNs, int eventIndex, byte[] payload, int payloadLength, boolean binary,
                               int frameLength, Scope scope, Object event) {
    /** What the payload of a record is. */
    public enum Scope {
        /** The offending element alone (one JSON object or one MessagePack map). */
        ELEMENT,
        /** The start of a frame that could not be split into elements (bounded; see {@link #truncated()}). */
        FRAME;

        /** As stored in {@code quarantine.payload_scope}. */
        public String label() {
            return this == ELEMENT ? "element" : "frame";
        }
    }

    /** A record whose payload is the frame (the form before elements were delimited). */
    public QuarantineRecord(String source, String feed, String symbol, String type, String rule, String reason,
                            long receiveTimeNs, int eventIndex, byte[] payload, int payloadLength, boolean binary,
                            Object event) {
        this(source, feed, symbol, type, rule, reason, receiveTimeNs, eventIndex, payload, payloadLength, binary,
                payloadLength, Scope.FRAME, event);
    }

    /** The payload as text: UTF-8 for JSON frames (invalid bytes replaced), base64 for binary ones. */
    public String payloadText() {
        return binary ? Base64.getEncoder().encodeToString(payload) : new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * The payload as JSON text for people and SQL: the JSON itself, a MessagePack element rendered as JSON, or null
     * for MessagePack bytes that do not render (a truncated or invalid prefix: read {@link #payload()} instead).
     * Allocates: call it off the pipeline thread (the quarantine writer does).
     */
    public String elementJson() {
        return binary ? MessagePackJson.render(payload) : new String(payload, StandardCharsets.UTF_8);
    }

    public boolean truncated() { return payloadLength > payload.length; }

    @Override public String toString() {
        return "QuarantineRecord[" + source + "/" + feed + " " + (symbol == null ? "-" : symbol) + " " + rule + ": "
                + reason + " (" + scope.label() + " " + payloadLength + " bytes of a " + frameLength + "-byte frame)]";
    }
}
