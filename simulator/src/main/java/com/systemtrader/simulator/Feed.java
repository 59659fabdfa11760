package com.systemtrader.simulator;

/** The WebSocket endpoints the simulator serves, by request path. */
enum Feed {
    POLYGON_REALTIME("polygon", "/stocks", true),
    POLYGON_DELAYED("polygon", "/delayed/stocks", false),
    ALPACA_IEX("alpaca", "/v2/iex", true),
    ALPACA_SIP("alpaca", "/v2/sip", true),
    ALPACA_DELAYED_SIP("alpaca", "/v2/delayed_sip", false),
    ALPACA_TEST("alpaca", "/v2/test", true);

    private final String provider;
    private final String path;
    private final boolean realtime;

    Feed(String provider, String path, boolean realtime) {
        this.provider = provider;
        this.path = path;
        this.realtime = realtime;
    }

    String provider() { return provider; }
    String path() { return path; }
    boolean realtime() { return realtime; }
    boolean isPolygon() { return provider.equals("polygon"); }

    /** The feed for a request path (query string removed, trailing slash ignored), or null. */
    static Feed forPath(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        for (Feed f : values()) if (f.path.equals(p)) return f;
        return null;
    }
}
