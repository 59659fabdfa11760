package com.systemtrader.codec;

/** A non-data message from a provider (connection status, auth result, subscription ack, error). */
public interface ControlMessage {}
