package com.systemtrader.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Java examples are what the library sample compiles and runs ({@code samples/java-library/run.sh}):
 * each {@code java} block of the README, in order, equals the text between a {@code // README begin} and a
 * {@code // README end} marker of the sample, indentation aside. Editing one without the other fails here.
 */
class ReadmeSampleTest {
    private static final Path SAMPLE = Path.of("samples/java-library/src/main/java/example/ReadmeExamples.java");

    @Test void theSampleCarriesEveryJavaExampleOfTheReadmeVerbatim() throws IOException {
        List<String> readme = new ArrayList<>();
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("README.md")));
        while (m.find()) readme.add(m.group(1).stripIndent().strip());
        List<String> sample = new ArrayList<>();
        Matcher s = Pattern.compile("// README begin: [^\n]*\n(.*?)\n *// README end", Pattern.DOTALL)
                .matcher(Files.readString(SAMPLE));
        while (s.find()) sample.add(s.group(1).stripIndent().strip());
        assertThat(readme).as("the README's java blocks").hasSize(2);
        assertThat(sample).as("the sample's README regions, in the README's order").isEqualTo(readme);
    }
}
