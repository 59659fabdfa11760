package com.systemtrader.data;

import com.systemtrader.schema.DataSource;

/**
 * A run of consecutive bars of an {@link OhlcvSeries} read from the same tier and source: the seams where cache,
 * database and REST were stitched together (each bucket is taken from one tier only).
 *
 * @param fromNs first bar's window start; {@code toNs} last bar's window start (inclusive)
 */
public record SeriesPart(Tier tier, DataSource source, long fromNs, long toNs, int bars) {}
