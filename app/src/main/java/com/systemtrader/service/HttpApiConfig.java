package com.systemtrader.service;

import com.systemtrader.credentials.Secret;

/**
 * Where the HTTP API listens and whether it asks for a token.
 *
 * @param host        bind address; 127.0.0.1 by default (not reachable from other machines)
 * @param port        0 picks a free port
 * @param bearerToken when set, every endpoint except {@code /health} needs {@code Authorization: Bearer <token>}
 */
public record HttpApiConfig(String host, int port, Secret bearerToken) {
    public static HttpApiConfig loopback(int port) {
        return new HttpApiConfig("127.0.0.1", port, null);
    }
}
