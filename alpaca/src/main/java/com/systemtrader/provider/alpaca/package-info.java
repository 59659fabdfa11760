/**
 * The Alpaca market data stream v2 for stocks (protocols.md §2), in JSON and MessagePack: {@link
 * com.systemtrader.provider.alpaca.AlpacaDecoder} and {@link com.systemtrader.provider.alpaca.AlpacaMsgpackDecoder}
 * turn server frames into normalized events and control messages ({@link
 * com.systemtrader.provider.alpaca.AlpacaSuccess}, {@link com.systemtrader.provider.alpaca.AlpacaError}, {@link
 * com.systemtrader.provider.alpaca.AlpacaSubscription}); the simulator's {@code simulator.wire.AlpacaEncoder}
 * writes them back in Alpaca's exact form, with this package's {@link com.systemtrader.provider.alpaca.FieldWriter}s;
 * {@link
 * com.systemtrader.provider.alpaca.AlpacaClientMessage} is the client side (auth, subscribe, unsubscribe). Nothing
 * outside this package sees the wire format.
 *
 * <p>Mapping to the normalized model: exchange, tape, condition and indicator letters are kept as their char
 * values ({@code "V"} = 86); trade ids are exact {@code long}s rendered as decimal strings; timestamps are epoch
 * nanoseconds; a bar's end is its start plus {@link com.systemtrader.schema.BarInterval#nanos()} (a fixed 24 h for
 * daily bars, whose start is midnight New York time).
 */
package com.systemtrader.provider.alpaca;
