/**
 * The exchange simulator's REST side: Polygon (Massive) and Alpaca market-data endpoints answered from a
 * {@link com.systemtrader.simulator.market.MarketHistory}, with each provider's authentication, error bodies,
 * pagination and per-key rate limits (protocols.md section 3). {@link com.systemtrader.simulator.rest.RestRouter}
 * is the single entry point; the server pipeline calls it on the event loop for every plain HTTP request.
 * Vendor code space: records are in Polygon's codes; Alpaca answers map them with
 * {@link com.systemtrader.simulator.market.SipCodes}.
 */
package com.systemtrader.simulator.rest;
