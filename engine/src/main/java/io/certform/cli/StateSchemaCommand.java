package io.certform.cli;

import io.certform.manifest.StateSettings;
import io.certform.state.postgres.PostgresLocation;
import io.certform.state.postgres.PostgresSchema;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Print the SQL that creates certform's PostgreSQL tables, for an administrator to run.",
                "certform creates and migrates them itself on first use when its user may; a user without DDL rights"
                        + " works once this SQL has been run (it is safe to run again). Connects to nothing."})
final class StateSchemaCommand extends ManifestCommand {

    @Option(names = "--schema", paramLabel = "NAME",
            description = "The schema (default: the manifest's state.schema, else certform).")
    String schema;

    @Override
    public Integer call() {
        String name = schema;
        if (name == null && Files.isRegularFile(common.file)) {
            StateSettings settings = structure().state();
            name = settings.schema();
        }
        if (name == null) {
            name = PostgresLocation.DEFAULT_SCHEMA;
        }
        String problem = PostgresLocation.schemaProblem(name);
        if (problem != null) {
            throw new CliException(Main.ERROR, problem + ".");
        }
        context.out().print(PostgresSchema.script(name));
        return Main.OK;
    }
}
