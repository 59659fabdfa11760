/**
 * The normalized market-data model. Everything downstream of the provider codecs sees only these types.
 *
 * <p>Conventions: times are epoch nanoseconds ({@code long}); prices are {@code double} in the quote
 * currency; sizes are shares ({@code long}) as the provider sent them (quote sizes stay in the provider's
 * unit, see {@link com.systemtrader.schema.Quote}). Provider identities (trade id, exchange, tape, sequence,
 * TRF id, conditions) are kept in the provider's own code space, with {@link DataSource} saying which one,
 * because dedupe and the SIP eligibility rules need them exactly. A value that the provider did not send is
 * {@link Absent} for integers, {@code NaN} for prices and {@link Conditions#NONE} for code lists. An event the
 * provider gives no identity (an Alpaca quote, a trade without an id) is identified by its time and its
 * {@link EventFingerprint}, a stable hash of this normalized content.
 */
package com.systemtrader.schema;
