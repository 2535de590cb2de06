package io.certform.cli;

import io.certform.manifest.ManifestFormatter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fmt", mixinStandardHelpOptions = true,
        description = {"Rewrite manifests in the canonical layout, keeping every comment and key where it is:"
                + " two-space indentation (lists under their key), one space after '-', no trailing spaces, one"
                + " final newline.", "Only whitespace changes, and the result must load to the same data, or the"
                + " file is left as it is. Lists the files it changed."})
final class FmtCommand implements Callable<Integer>, Main.ContextAware {

    /** As {@code terraform fmt -check}: some file is not in the canonical layout. */
    static final int NOT_FORMATTED = 3;

    // The default goes through the Path converter as a given FILE does, so -chdir=DIR's certform.yaml is read.
    @Parameters(arity = "0..*", paramLabel = "FILE", defaultValue = "certform.yaml",
            description = "Manifests (default: certform.yaml).")
    List<Path> files = new ArrayList<>();

    @Option(names = {"--check", "-check"},
            description = "Write nothing; list the files that would change and exit 3 if there is one.")
    boolean check;

    private Context context;

    @Override
    public void context(Context value) {
        this.context = value;
    }

    @Override
    public Integer call() throws IOException {
        List<Path> targets = files.isEmpty() ? List.of(Path.of("certform.yaml")) : files; // no converter: not -chdir
        boolean failed = false;
        boolean unformatted = false;
        for (Path file : targets) {
            String original;
            try {
                original = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                context.err().println("Error: " + file + ": no such file.");
                failed = true;
                continue;
            }
            ManifestFormatter.Result result = ManifestFormatter.format(original);
            if (result.text() == null) {
                context.err().println("Error: cannot format " + file + ": " + result.problem() + ".");
                failed = true;
                continue;
            }
            if (!result.changed(original)) {
                continue;
            }
            unformatted = true;
            context.out().println(file);
            if (!check) {
                write(file, result.text());
            }
        }
        if (failed) {
            return Main.ERROR;
        }
        return check && unformatted ? NOT_FORMATTED : Main.OK;
    }

    private static void write(Path file, String text) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the default permissions stand
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
