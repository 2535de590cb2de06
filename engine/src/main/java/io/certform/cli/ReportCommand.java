package io.certform.cli;

import io.certform.provider.ProviderException;
import io.certform.report.ApplyLogs;
import io.certform.report.ReportBuilder;
import io.certform.report.ReportModel;
import io.certform.report.html.HtmlReport;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.workflow.LockedSession;
import io.certform.workflow.RefreshOperation;
import io.certform.workflow.Workspace;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write one self-contained HTML page of the fleet: an expiry timeline, the certificates, an"
                + " inventory of every binding that sorts and filters, the last rollouts' waves, and the state's"
                + " serial and lineage.",
                "Reads the manifest, its certificate files and the state: no API call, unless --refresh. The page"
                        + " loads nothing from anywhere (a Content-Security-Policy forbids it), so it can be opened"
                        + " offline or published as a CI artifact."})
final class ReportCommand extends ManifestCommand {

    @Option(names = {"-o", "--output", "-output"}, paramLabel = "FILE", defaultValue = "report.html",
            description = "Where to write the page (default: ${DEFAULT-VALUE}; '-': standard output). An existing"
                    + " file is replaced.")
    Path output;

    @Option(names = {"--refresh", "-refresh"},
            description = "Read the remote side first and record what was found in the state, as 'certform"
                    + " refresh' does (it takes the state lock), so that in sync and drifted are as of now.")
    boolean refresh;

    @Option(names = {"--apply-log", "-apply-log"}, paramLabel = "FILE",
            description = "The output of 'certform apply --json' (repeatable, oldest first): its rollout summaries"
                    + " are the last rollouts the page shows (the state keeps only a rollout not finished).")
    List<Path> applyLogs = new ArrayList<>();

    @Mixin
    LockOptions locking;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** {@code -o -} as typed, not a file named '-' in some folder (every path option is resolved against -chdir). */
    private boolean toStandardOutput() {
        picocli.CommandLine.Model.OptionSpec o = spec.findOption("-o");
        return o != null && o.originalStringValues().equals(List.of("-"));
    }

    /** Where the page goes must be writable before anything is read, refreshed or recorded. */
    private void checkOutput() {
        if (toStandardOutput()) {
            return;
        }
        Path folder = output.toAbsolutePath().getParent();
        String problem = folder == null || !Files.isDirectory(folder) ? "the folder " + folder + " does not exist"
                : Files.isDirectory(output) ? "it is a folder" : null;
        if (problem != null) {
            throw new CliException(Main.ERROR, "cannot write the report to " + output + ": " + problem
                    + "; give -o a path in a folder you can write to. Nothing was read or written.");
        }
    }

    @Override
    public Integer call() throws StateException, ProviderException {
        checkOutput();
        List<ReportModel.Rollout> logged;
        try {
            logged = ApplyLogs.read(applyLogs);
        } catch (ApplyLogs.LogException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
        Workspace workspace;
        if (refresh) {
            workspace = workspace(); // a refresh needs a manifest without errors
            try (LockedSession run = LockedSession.open(workspace, "report", host(locking, 4), context.clock(),
                    Version.VALUE)) {
                RefreshOperation.Result refreshed = RefreshOperation.run(workspace, run.fleet(), context.clock(),
                        Version.VALUE);
                if (!refreshed.diagnostics().isEmpty()) {
                    diagnosticsView().render(refreshed.diagnostics());
                }
                if (refreshed.diagnostics().hasErrors()) {
                    throw new CliException(Main.ERROR, "the remote side could not be read (see above); no report"
                            + " was written. Run certform report without --refresh for the state as last recorded.");
                }
            }
        } else {
            workspace = Workspace.load(common.file, common.display(), common.state, context.environment(),
                    context.clock(), Version.VALUE);
            io.certform.workflow.ExpiryHold.note(workspace.expiryHolds(), workspace.diagnostics());
            if (!workspace.diagnostics().isEmpty()) {
                diagnosticsView().render(workspace.diagnostics());
            }
            if (workspace.manifest() == null || workspace.stateStore() == null) {
                throw new CliException(Main.ERROR, "no report was written: the manifest could not be read (see"
                        + " above).");
            }
        }
        State state = workspace.stateStore().read();
        java.time.Instant writtenAt = state.serial() == 0 ? null : workspace.stateStore().writtenAt();
        ReportModel model = ReportBuilder.build(workspace, state, workspace.stateStore().describe(), writtenAt, logged,
                common.display(), refresh, context.clock().instant(), Version.VALUE);
        if (!workspace.ok()) {
            model = ReportBuilder.withNote(model, "The manifest has errors (see certform validate): the bindings it"
                    + " declares that the state does not record are not listed.");
        }
        write(model);
        return Main.OK;
    }

    /** A report holds no secret: readable by all, as a page published from CI is (a temporary file is 0600). */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private void write(ReportModel model) {
        if (toStandardOutput()) {
            try {
                HtmlReport.write(model, context.out());
            } catch (IOException e) {
                throw new CliException(Main.ERROR, "cannot write the report to standard output: " + e.getMessage());
            }
            context.out().flush();
            return;
        }
        Path target = output;
        Path folder = target.toAbsolutePath().getParent();
        try {
            Path temporary = Files.createTempFile(folder, ".certform-report", ".tmp");
            try {
                try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                    HtmlReport.write(model, out);
                }
                readableByAll(temporary);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new CliException(Main.ERROR, "cannot write the report to " + output + ": " + e.getMessage()
                    + "; give -o a path in a folder you can write to.");
        }
        context.out().println("Wrote " + output + ": " + model.certificates().size() + " certificates, "
                + model.bindings().size() + " bindings, " + model.rollouts().size() + " rollouts"
                + (model.state() == null ? ", no state yet." : ", state serial " + model.state().serial() + "."));
    }
}
