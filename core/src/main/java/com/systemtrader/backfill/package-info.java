/**
 * Gap backfill: what a feed missed while it was not streaming (a {@link com.systemtrader.collector.Gap}), or while
 * the process was down, is fetched from the provider's REST API and stored through a cleaner and the same idempotent
 * {@link com.systemtrader.storage.StorageWriter} as the live data.
 *
 * <ul>
 *   <li>{@link com.systemtrader.backfill.GapBackfiller}: one backfill, synchronously: trades (minute bars when the
 *       plan has no trades), outcome filled / partially filled / failed with the reason, recorded in
 *       {@code gap_ledger}, metrics ({@code backfill.gaps{outcome}}, {@code backfill.rows{kind}}) and
 *       {@link com.systemtrader.backfill.RecentBackfills}.</li>
 *   <li>{@link com.systemtrader.backfill.AutoBackfill}: runs backfills by itself after every reconnect (and once
 *       after start, from the newest stored trade) on one thread with a bounded queue.</li>
 *   <li>{@code system-trader backfill} ({@code cli.BackfillCommand}): on demand.</li>
 * </ul>
 */
package com.systemtrader.backfill;
