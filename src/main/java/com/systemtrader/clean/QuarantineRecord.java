package com.systemtrader.clean;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A rejected message: what it was, which rule refused it and why, and the raw frame it came in.
 *
 * @param source        provider name ({@code polygon}, {@code alpaca})
 * @param feed          feed name ({@code stocks}, {@code v2/sip}...)
 * @param symbol        the event's symbol, or null for a frame that could not be decoded
 * @param type          the event's record type name, or null for a frame that could not be decoded
 * @param rule          the rule's label
 * @param reason        a specific reason (values and limits, never credentials)
 * @param receiveTimeNs when the frame was received, epoch ns
 * @param eventIndex    the event's position among the data events decoded from the frame (0-based); -1 for the frame
 * @param payload       the raw frame (shared by every rejection from the same frame; truncated to
 *                      {@link DataCleaner#MAX_PAYLOAD_BYTES}); text for JSON, bytes for MessagePack
 * @param payloadLength the frame's full length in bytes (larger than {@code payload.length} when truncated)
 * @param binary        true when the frame was binary (MessagePack)
 * @param event         the decoded event (a record), or null for a frame that could not be decoded
 */
public record QuarantineRecord(String source, String feed, String symbol, String type, String rule, String reason,
                               long receiveTimeNs, int eventIndex, byte[] payload, int payloadLength, boolean binary,
                               Object event) {
    /** The payload as text: UTF-8 for JSON frames (invalid bytes replaced), base64 for binary ones. */
    public String payloadText() {
        return binary ? Base64.getEncoder().encodeToString(payload) : new String(payload, StandardCharsets.UTF_8);
    }

    public boolean truncated() { return payloadLength > payload.length; }

    @Override public String toString() {
        return "QuarantineRecord[" + source + "/" + feed + " " + (symbol == null ? "-" : symbol) + " " + rule + ": "
                + reason + " (" + payloadLength + " bytes)]";
    }
}
