package io.flowguard.bronze.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The conventions of STYLE.md that a compiler does not check, enforced over every module's sources. Plain jars have no
 * module exports, so this is the build's equivalent of {@code module-info.java}: an {@code .internal} package is private
 * to the module whose package root it sits under.
 */
class SourceTreeConventionsTest {

    /**
     * A production class with more lines of code than this (blank and comment lines not counted, so Javadoc never
     * pushes a class over) needs a {@code Size note:} comment at its top saying why.
     */
    static final int MAX_CLASS_LINES = 400;

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern INTERNAL_USE =
            Pattern.compile("\\b(io\\.flowguard\\.bronze\\.\\w+(?:\\.\\w+)*?)\\.internal\\b");

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /**
     * Modules allowed to reach into internals, each for a stated reason: bronze-benchmarks is never published and
     * measures the sink's own row conversion and statement against a plain insert on purpose.
     */
    static final java.util.Set<String> MAY_USE_INTERNALS = java.util.Set.of("bronze-benchmarks");

    @Test
    void shouldFindTheSourcesOfEveryModule() {
        assertThat(mainSources()).as("production sources under %s", ROOT).hasSizeGreaterThan(50);
        assertThat(ROOT.resolve("bronze-core/src/main/java")).isDirectory();
    }

    @Test
    void noModuleShouldUseAnotherModulesInternalPackages() {
        List<String> violations = new ArrayList<>();
        for (Path file : allSources()) {
            if (MAY_USE_INTERNALS.contains(ROOT.relativize(file).getName(0).toString())) {
                continue;
            }
            String text = read(file);
            String own = packageOf(text);
            Matcher m = INTERNAL_USE.matcher(stripComments(text));
            while (m.find()) {
                String owner = m.group(1);
                if (own == null || !(own.equals(owner) || own.startsWith(owner + "."))) {
                    violations.add(ROOT.relativize(file) + " uses " + m.group() + " (package " + own + ")");
                }
            }
        }
        assertThat(violations)
                .as("an .internal package is private to its module; add a public type (or an SPI package) instead")
                .isEmpty();
    }

    @Test
    void everyProductionPackageShouldHaveAPackageInfo() {
        List<String> missing = mainSources().stream()
                .map(Path::getParent)
                .distinct()
                .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
                .map(dir -> ROOT.relativize(dir).toString())
                .toList();
        assertThat(missing)
                .as("add a package-info.java with one line saying what the package is")
                .isEmpty();
    }

    @Test
    void productionClassesShouldStayShortOrSayWhyNot() {
        List<String> tooLong = new ArrayList<>();
        for (Path file : mainSources()) {
            List<String> lines = readLines(file);
            long code = codeLines(read(file));
            if (code > MAX_CLASS_LINES && lines.stream().limit(60).noneMatch(l -> l.contains("Size note:"))) {
                tooLong.add(ROOT.relativize(file) + " (" + code + " lines of code)");
            }
        }
        assertThat(tooLong)
                .as("split the class, or put a 'Size note:' comment in its first 60 lines saying why it is long")
                .isEmpty();
    }

    /** Lines that are neither blank nor only comment. */
    static long codeLines(String text) {
        String withoutBlockComments = text.replaceAll("(?s)/\\*.*?\\*/", "");
        return withoutBlockComments
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("//"))
                .count();
    }

    static List<Path> mainSources() {
        return sources("src/main/java");
    }

    static List<Path> allSources() {
        List<Path> all = new ArrayList<>(sources("src/main/java"));
        all.addAll(sources("src/test/java"));
        return all;
    }

    private static List<Path> sources(String tree) {
        try (Stream<Path> modules = Files.list(ROOT)) {
            List<Path> result = new ArrayList<>();
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                collect(module, tree, result);
                // nested modules (examples/<name>) one level down
                try (Stream<Path> nested = Files.list(module)) {
                    for (Path sub : nested.filter(Files::isDirectory).toList()) {
                        if (Files.exists(sub.resolve("pom.xml"))) {
                            collect(sub, tree, result);
                        }
                    }
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(Path module, String tree, List<Path> into) throws IOException {
        Path dir = module.resolve(tree);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(into::add);
        }
    }

    private static String packageOf(String text) {
        Matcher m = PACKAGE.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** Drops comments and string literals: Javadoc naming an internal class, or a logger category, is not a use of it. */
    static String stripComments(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", "")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"")
                .replaceAll("//[^\\n]*", "");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
