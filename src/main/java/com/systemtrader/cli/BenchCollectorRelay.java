package com.systemtrader.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A diagnostic loopback TCP relay for {@code bench-collector --no-compression}: it forwards a WebSocket connection
 * to the simulator unchanged except that it deletes the {@code Sec-WebSocket-Extensions} header from the HTTP
 * upgrade request, so permessage-deflate is not negotiated (the collector always offers it, and with it the
 * simulator's deflate limits the stream). It costs one extra hop: two relay threads copying bytes. Bench only.
 */
final class BenchCollectorRelay implements AutoCloseable {
    private static final int BUFFER = 256 * 1024;
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    BenchCollectorRelay(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop, "bench-relay-accept");
    }

    int port() { return server.getLocalPort(); }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                for (Socket s : List.of(client, upstream)) {
                    s.setTcpNoDelay(true);
                    sockets.add(s);
                }
                daemon(() -> upstreamLoop(client, upstream), "bench-relay-up");
                daemon(() -> pipe(upstream, client), "bench-relay-down");
            } catch (IOException e) {
                if (!closed) System.err.println("bench-relay: " + e.getMessage());
            }
        }
    }

    /** Copies the upgrade request without the extensions header, then everything else as is. */
    private void upstreamLoop(Socket client, Socket upstream) {
        try {
            InputStream in = client.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
                if (n > 65_536) throw new IOException("upgrade request too long");
            }
            StringBuilder out = new StringBuilder();
            for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n", -1)) {
                if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:")) continue;
                out.append(line).append("\r\n");
            }
            out.setLength(out.length() - 2);
            OutputStream up = upstream.getOutputStream();
            up.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
        } catch (IOException e) {
            closeQuietly(client, upstream);
            return;
        }
        pipe(client, upstream);
    }

    private void pipe(Socket from, Socket to) {
        byte[] buf = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
        } catch (IOException e) {
            // connection closed by either side
        } finally {
            closeQuietly(from, to);
        }
    }

    private static void closeQuietly(Socket... sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) closeQuietly(s);
    }
}
