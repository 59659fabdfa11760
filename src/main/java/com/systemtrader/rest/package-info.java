/**
 * REST clients of both providers: {@link com.systemtrader.rest.PolygonRestClient} and
 * {@link com.systemtrader.rest.AlpacaRestClient} on one {@link com.systemtrader.rest.RestTransport} (a shared
 * HTTP/1.1 client, the keys' shared rate limits, bounded retries with full jitter, 429 handling). Results are the
 * schema records the WebSocket decoders produce, so backfilled data takes the same cleaning and storage path.
 * Paginated endpoints are fetched one page at a time.
 */
package com.systemtrader.rest;
