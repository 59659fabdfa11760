package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Builds JSON responses and the two providers' error bodies (protocols.md sections 3.1 and 3.2). */
final class RestResponses {
    static final String POLYGON_RATE_LIMITED = "You've exceeded the maximum requests per minute, please wait or "
            + "upgrade your subscription to continue.";
    static final long ALPACA_CODE_INVALID = 42210000L;
    static final long ALPACA_CODE_TOO_MANY = 42910000L;
    static final long ALPACA_CODE_NOT_FOUND = 40410000L;

    private RestResponses() {}

    static FullHttpResponse json(HttpVersion version, HttpResponseStatus status, JsonOut body) {
        FullHttpResponse r = new DefaultFullHttpResponse(version, status,
                Unpooled.wrappedBuffer(body.array(), 0, body.length()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
        return r;
    }

    /** {@code {"status":status,"request_id":id,field:message}}; Polygon uses "error" or "message". */
    static JsonOut polygonError(JsonOut out, String status, String requestId, String field, String message) {
        return out.beginObject().field("status", status).field("request_id", requestId).field(field, message).endObject();
    }

    /** {@code {"code":code,"message":message}}. */
    static JsonOut alpacaError(JsonOut out, long code, String message) {
        return out.beginObject().field("code", code).field("message", message).endObject();
    }

    /** The 8-digit Alpaca error code for an HTTP status ({@code 503 -> 50310000}). */
    static long alpacaCode(int httpStatus) {
        return httpStatus * 100_000L + 10_000L;
    }
}
