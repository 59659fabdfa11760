package com.systemtrader.simulator.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the REST side for the integrator to export. Thread-safe and lock-free. */
public final class RestStats {
    private final LongAdder[] requests = new LongAdder[RestEndpoint.values().length];
    private final LongAdder tooManyRequests = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder badRequests = new LongAdder();
    private final LongAdder notFound = new LongAdder();
    private final LongAdder injectedFailures = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();

    RestStats() {
        for (int i = 0; i < requests.length; i++) requests[i] = new LongAdder();
    }

    void onRequest(RestEndpoint e) { requests[e.ordinal()].increment(); }
    void onTooManyRequests() { tooManyRequests.increment(); }
    void onAuthFailure() { authFailures.increment(); }
    void onBadRequest() { badRequests.increment(); }
    void onNotFound() { notFound.increment(); }
    void onInjectedFailure() { injectedFailures.increment(); }
    void onInternalError() { internalErrors.increment(); }

    /** Requests routed to {@code e} (whatever the answer was). */
    public long requests(RestEndpoint e) { return requests[e.ordinal()].sum(); }

    public long totalRequests() {
        long n = 0;
        for (LongAdder a : requests) n += a.sum();
        return n;
    }

    /** 429 answers, from the rate limiter and from {@link RestRouter#failNext} together. */
    public long tooManyRequestsAnswered() { return tooManyRequests.sum(); }

    /** Polygon 401 and Alpaca 403 answers. */
    public long authFailures() { return authFailures.sum(); }

    /** 400/405/422 answers. */
    public long badRequests() { return badRequests.sum(); }

    /** 404 answers (unknown path or no data). */
    public long notFound() { return notFound.sum(); }

    /** Answers forced by {@link RestRouter#failNext}. */
    public long injectedFailures() { return injectedFailures.sum(); }

    /** 500 answers caused by an unexpected exception (a bug; never thrown out of the router). */
    public long internalErrors() { return internalErrors.sum(); }

    /** All counters by name, endpoints as {@code requests.<metricName>}. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (RestEndpoint e : RestEndpoint.values()) m.put("requests." + e.metricName(), requests(e));
        m.put("too_many_requests", tooManyRequestsAnswered());
        m.put("auth_failures", authFailures());
        m.put("bad_requests", badRequests());
        m.put("not_found", notFound());
        m.put("injected_failures", injectedFailures());
        m.put("internal_errors", internalErrors());
        return m;
    }
}
