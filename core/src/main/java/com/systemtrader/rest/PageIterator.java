package com.systemtrader.rest;

import com.systemtrader.credentials.Provider;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Pages fetched lazily, one request per {@link #next()}: memory holds one page at a time. The first page is always
 * fetched (it may be empty); further pages while the provider returns a cursor ({@code next_url} or
 * {@code next_page_token}). Fails with {@link RestException} after {@link RestSettings#maxPages()} pages or when
 * the provider repeats a cursor. Not thread-safe.
 */
public final class PageIterator<T> implements Iterator<List<T>> {
    /** One page and the cursor of the next one (null at the end). */
    public record Page<T>(List<T> items, String next) {}

    /** Fetches the page at {@code cursor} (null: the first page). */
    @FunctionalInterface
    public interface Fetcher<T> {
        Page<T> fetch(String cursor);
    }

    private final Provider provider;
    private final String path;
    private final int maxPages;
    private final Fetcher<T> fetcher;
    private String cursor;
    private int pages;
    private boolean done;

    public PageIterator(Provider provider, String path, int maxPages, Fetcher<T> fetcher) {
        this.provider = provider;
        this.path = path;
        this.maxPages = maxPages;
        this.fetcher = Objects.requireNonNull(fetcher);
    }

    @Override
    public boolean hasNext() {
        return !done;
    }

    @Override
    public List<T> next() {
        if (done) throw new NoSuchElementException();
        if (pages == maxPages) {
            done = true;
            throw new RestException(provider, path, 200, "more than " + maxPages
                    + " pages (RestSettings.maxPages): narrow the range or raise the limit", null);
        }
        Page<T> page = fetcher.fetch(cursor);
        pages++;
        String next = page.next() == null || page.next().isEmpty() ? null : page.next();
        if (next != null && next.equals(cursor)) {
            done = true;
            throw new RestException(provider, path, 200, "the provider repeated a page cursor after page " + pages, null);
        }
        cursor = next;
        done = next == null;
        return page.items();
    }

    /** Pages fetched so far. */
    int pages() { return pages; }

    /** Hands each non-empty page of {@code pages} to {@code sink}; returns the number of items. */
    public static <T> long drain(Iterator<List<T>> pages, java.util.function.Consumer<List<T>> sink) {
        long n = 0;
        while (pages.hasNext()) {
            List<T> page = pages.next();
            n += page.size();
            if (!page.isEmpty()) sink.accept(page);
        }
        return n;
    }

    /** {@code symbols} without repeats, in chunks of at most {@code size} (a multi-symbol endpoint's limit). */
    public static List<List<String>> chunks(java.util.Collection<String> symbols, int size) {
        List<String> all = new java.util.ArrayList<>(new java.util.LinkedHashSet<>(symbols));
        if (all.isEmpty()) throw new IllegalArgumentException("no symbols given");
        List<List<String>> out = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); i += size) out.add(all.subList(i, Math.min(all.size(), i + size)));
        return out;
    }
}
