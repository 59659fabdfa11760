package com.systemtrader.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * The dashboard's files, read from the classpath once (the page, its script and style sheet from
 * {@code com/systemtrader/service/dashboard/}, Apache ECharts and its licence from the {@code org.webjars.npm:echarts}
 * WebJar) and kept in memory with a gzip copy each. Nothing is fetched from the network, by the service or the page.
 */
final class DashboardFiles {
    /** The ECharts WebJar's version (the root pom pins the same). */
    static final String ECHARTS_VERSION = "5.3.1";
    private static final String OWN = "/com/systemtrader/service/dashboard/";
    private static final String ECHARTS = "/META-INF/resources/webjars/echarts/" + ECHARTS_VERSION + "/";

    /** A file: its type, its bytes and their gzip. */
    record File(String type, byte[] body, byte[] gzipped) {}

    private final Map<String, File> files = new LinkedHashMap<>();

    /** @param tokenRequired the page then asks for the API's bearer token before it asks the API anything */
    DashboardFiles(boolean tokenRequired) {
        String page = new String(read(OWN + "index.html"), StandardCharsets.UTF_8)
                .replace("{{auth}}", tokenRequired ? "bearer" : "none");
        put("/", "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
        put("/ui/dashboard.js", "text/javascript; charset=utf-8", read(OWN + "dashboard.js"));
        put("/ui/dashboard.css", "text/css; charset=utf-8", read(OWN + "dashboard.css"));
        put("/ui/echarts.min.js", "text/javascript; charset=utf-8", read(ECHARTS + "dist/echarts.min.js"));
        byte[] licence = read(ECHARTS + "LICENSE");
        byte[] notice = read(ECHARTS + "NOTICE");
        byte[] both = new byte[licence.length + 2 + notice.length];
        System.arraycopy(licence, 0, both, 0, licence.length);
        both[licence.length] = '\n';
        both[licence.length + 1] = '\n';
        System.arraycopy(notice, 0, both, licence.length + 2, notice.length);
        put("/ui/echarts-LICENSE.txt", "text/plain; charset=utf-8", both);
    }

    Optional<File> get(String path) {
        return Optional.ofNullable(files.get(path));
    }

    private void put(String path, String type, byte[] body) {
        files.put(path, new File(type, body, gzip(body)));
    }

    private static byte[] read(String resource) {
        try (InputStream in = DashboardFiles.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("dashboard: " + resource + " is not on the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard: cannot read " + resource, e);
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
