package io.certform.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Start a project: write a commented starter manifest and a .gitignore beside it.",
                "Never overwrites a file: an existing manifest stops init (only a missing .gitignore is still"
                        + " written beside it); an existing .gitignore is left as it is, and the lines it lacks are"
                        + " listed."})
final class InitCommand implements Callable<Integer>, Main.ContextAware {

    /** Where editors find the manifest's JSON Schema (schemas/certform.schema.json of the project). */
    static final String SCHEMA_URL = "https://certform.io/schemas/certform.schema.json";

    /** What certform writes beside the manifest and never belongs in version control. */
    static final List<String> IGNORED = List.of("*.state.json", "*.state.json.*", ".certform/", "*.plan");

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "certform.yaml",
            description = "The manifest to create (default: ${DEFAULT-VALUE} in the current folder).")
    Path file;

    private Context context;

    @Override
    public void context(Context value) {
        this.context = value;
    }

    @Override
    public Integer call() throws IOException {
        Path folder = file.toAbsolutePath().normalize().getParent();
        // beside the manifest, and named as the manifest is: relative to where init was run when -f was
        Path gitignore = file.resolveSibling(".gitignore");
        if (Files.exists(file)) {
            // A project that has its manifest but no .gitignore (started before init, or copied): still keep the
            // state and saved plans out of version control; only the manifest is never rewritten.
            if (Files.notExists(gitignore)) {
                writeGitignore(gitignore);
                throw new CliException(Main.ERROR, file + " already exists; init never overwrites a file, so it was"
                        + " left as it is (only the missing " + gitignore + " was written). Edit it, or name another"
                        + " file with -f FILE.");
            }
            throw new CliException(Main.ERROR, file + " already exists; init never overwrites a file. Nothing was"
                    + " written. Edit it, or name another file with -f FILE.");
        }
        Files.createDirectories(folder);
        try {
            Files.writeString(file, starter(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new CliException(Main.ERROR, file + " already exists; init never overwrites a file. Nothing was"
                    + " written.");
        }
        context.out().println("Wrote " + file + ": a starter manifest, every key commented.");
        if (Files.exists(gitignore)) {
            List<String> lines = Files.readAllLines(gitignore, StandardCharsets.UTF_8).stream().map(String::strip)
                    .toList();
            List<String> missing = new ArrayList<>();
            for (String pattern : IGNORED) {
                if (!lines.contains(pattern)) {
                    missing.add(pattern);
                }
            }
            if (missing.isEmpty()) {
                context.out().println("Kept " + gitignore + ": it already ignores what certform writes.");
            } else {
                context.out().println("Kept " + gitignore + " as it is; add these lines so that the state, its"
                        + " journal, lock and backups, and saved plans stay out of version control:");
                missing.forEach(line -> context.out().println("  " + line));
            }
        } else {
            writeGitignore(gitignore);
        }
        context.out().println();
        context.out().println("Next: declare your certificates in " + file.getFileName() + ", then run 'certform"
                + " validate' and 'certform plan'.");
        return Main.OK;
    }

    private void writeGitignore(Path gitignore) throws IOException {
        Files.writeString(gitignore, gitignoreText(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        context.out().println("Wrote " + gitignore + ": the state, its journal, lock and backups, the simulator's"
                + " world and saved plans stay out of version control.");
    }

    static String gitignoreText() {
        return """
                # certform: what a run writes beside the manifest; none of it belongs in version control.
                # The state (keep it where every run sees the same one, see docs/state.md):
                *.state.json
                # its backup, lock, journal and history:
                *.state.json.*
                # the embedded simulator's world:
                .certform/
                # saved plans (certform plan -out FILE):
                *.plan
                """;
    }

    static String starter() {
        return """
                # yaml-language-server: $schema=%s
                # (the line above lets editors complete and check this file; offline, point it at the file
                # schemas/certform.schema.json of a certform release or checkout instead)
                # certform manifest: which TLS certificate belongs on which custom domain of your API gateways.
                # Every key is described in docs/manifest.md. 'certform validate' checks this file offline,
                # 'certform plan' shows what would change, 'certform apply' makes it so.
                version: 1

                provider:
                  service: roma                  # roma (ROMA Connect, paths /apic/) | apig (API Gateway, paths /apigw/)
                  endpoint: embedded             # the local simulator, to rehearse without an account; for a real one,
                                                 # remove this line and set region, or endpoint: https://HOST
                  # region: cn-north-4           # or HW_REGION_NAME in the environment
                  # project_id: 0a1b2c3d4e5f     # or HUAWEICLOUD_SDK_PROJECT_ID / HW_PROJECT_ID in the environment

                # state: certform.state.json     # default: certform.state.json beside this file

                # defaults:                      # inherited by every certificate and domain below
                #   instance_id: 6d2c1b9e        # the gateway instance
                #   expiry_warning_days: 30      # fewer days left: a warning
                #   min_days_remaining: 7        # fewer days left: never uploaded or bound anew (bound already: a warning)

                certificates: {}
                # Replace '{}' above with your certificates, for example:
                # certificates:
                #   shop:                                    # the key: first part of every address, shop[DOMAIN]
                #     name: shop_api_2026                    # the certificate's name in the API
                #     cert_content: ${file:certs/shop.crt}   # PEM: the leaf first, then intermediates
                #     private_key: ${env:SHOP_KEY}           # always a reference: never a key in this file
                #     domains:
                #       - { group_id: 2a7c4f1e, domain: api.shop.example.com }
                """.formatted(SCHEMA_URL);
    }
}
