package com.systemtrader.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The docs' `code spans`, for the tests that check that what they name exists. */
public final class DocReferences {
    private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");

    private DocReferences() {}

    /** README.md, docs/*.md and every README under deploy/. */
    public static List<Path> docs() throws IOException {
        List<Path> out = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        try (Stream<Path> s = Files.walk(Path.of("deploy"))) {
            s.filter(p -> p.getFileName().toString().equals("README.md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** Every `code span` of every doc, with where it is. */
    public static List<String[]> spans() throws IOException {
        List<String[]> out = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = CODE.matcher(lines.get(i));
                while (m.find()) out.add(new String[] {m.group(1), doc + ":" + (i + 1)});
            }
        }
        return out;
    }

}
