/**
 * Pieces shared by the provider codecs: symbol interning, a garbage-free JSON byte writer, RFC 3339 timestamps,
 * and the handler/exception types of the decoders. Nothing here knows a vendor.
 */
package com.systemtrader.codec;
