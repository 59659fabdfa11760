/**
 * The HTTP layer the vendors' REST clients share: {@link com.systemtrader.rest.RestTransport} (one HTTP/1.1 client,
 * the keys' shared rate limits, bounded retries with full jitter, 429 handling), lazy paging
 * ({@link com.systemtrader.rest.PageIterator}), URLs, {@link com.systemtrader.rest.RestException}. The clients
 * themselves live with their vendor ({@code provider.polygon.PolygonRestClient},
 * {@code provider.alpaca.AlpacaRestClient}); their results are the schema records the WebSocket decoders produce, so
 * backfilled data takes the same cleaning and storage path.
 */
package com.systemtrader.rest;
