package io.certform.cli;

import io.certform.cli.view.JsonDiagnosticsView;
import io.certform.cli.view.Style;
import io.certform.diag.Diagnostic;
import io.certform.base.Environment;
import io.certform.base.Exhaustion;
import io.certform.provider.ProviderException;
import io.certform.state.StateException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code certform} command. {@link #run} drives it without exiting the JVM, for tests. */
@Command(name = "certform", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Declarative TLS certificates for API gateway domains (Huawei Cloud ROMA Connect and API Gateway).",
        footer = {"", "Exit codes: 0 success; 1 error; 2 (plan --detailed-exitcode) changes pending;"
                + " 3 (fmt --check) files to format.",
                "Long options also take one dash, as in Terraform: -target ADDR, -auto-approve, -refresh=false."})
public final class Main implements Runnable {

    /** Taken off the command line by {@link #run} before picocli sees it; declared here for help and completion. */
    @CommandLine.Option(names = {"-chdir", "--chdir"}, paramLabel = "DIR",
            description = "Run as if certform were started in DIR: every relative path (-f, --state, PLANFILE, -out,"
                    + " ...) is read from there. Goes before the command: certform -chdir=infra/prod plan.")
    java.nio.file.Path chdir;

    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int CHANGES = 2;
    /** Interrupted (SIGINT/SIGTERM): what was done is recorded. */
    public static final int INTERRUPTED = 130;

    /**
     * The commands, in the order help lists them. picocli builds a command's model by reflection, which costs more
     * than the whole of a small run; so a run builds only the command it names, and all of them only for help,
     * completion and usage errors (where "did you mean" needs them all).
     */
    private static final List<Class<?>> COMMANDS = List.of(InitCommand.class, ValidateCommand.class,
            FmtCommand.class, PlanCommand.class, ShowCommand.class, ApplyCommand.class, DestroyCommand.class,
            CertsCommand.class, ReportCommand.class, RefreshCommand.class, ImportCommand.class, StateCommand.class,
            ForceUnlockCommand.class, SimulatorCommand.class, VersionCommand.class, CompletionCommand.class,
            CompleteAddressesCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code certform} alone: the usage, as Terraform prints it. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Context context = new Context(out, err, in, Environment.system(), Clock.systemUTC(), Terminals.stdout(),
                Terminals.stderr(), true);
        int code = run(context, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs certform with no standard input, the process environment and the system clock. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(new Context(out, err, new BufferedReader(new StringReader("")), Environment.system(),
                Clock.systemUTC(), false), args);
    }

    /** Runs certform in {@code context}; returns the exit code. */
    public static int run(Context context, String... args) {
        java.nio.file.Path folder = null;
        if (args.length > 0 && isChdir(args[0])) {
            String[] given = args;
            int used = given[0].contains("=") ? 1 : 2;
            String dir = given[0].contains("=") ? given[0].substring(given[0].indexOf('=') + 1)
                    : given.length > 1 ? given[1] : "";
            args = java.util.Arrays.copyOfRange(given, Math.min(used, given.length), given.length);
            String problem = dir.isEmpty() ? "-chdir needs a folder: certform -chdir=DIR COMMAND"
                    : !java.nio.file.Files.isDirectory(java.nio.file.Path.of(dir)) ? "-chdir=" + dir + ": no such"
                    + " folder (relative to " + java.nio.file.Path.of("").toAbsolutePath() + ")"
                    : args.length > 0 && isChdir(args[0]) ? "-chdir is given twice; give it once" : null;
            if (problem != null) {
                context.err().println(context.errStyle(false).red("Error: ") + problem + ". Nothing was run.");
                context.err().flush();
                return ERROR;
            }
            folder = java.nio.file.Path.of(dir);
        }
        List<AutoCloseable> created = new java.util.ArrayList<>();
        CommandLine cli = new CommandLine(new Main(), new ContextFactory(context, created));
        Class<?> named = args.length == 0 ? null : named(args[0]);
        for (Class<?> command : named == null || named == CompletionCommand.class ? COMMANDS : List.of(named)) {
            cli.addSubcommand(command);
        }
        cli.setHelpFactory(WordWrappingHelp.FACTORY);
        if (folder != null) {
            java.nio.file.Path base = folder;
            // every file option and argument is a Path: resolving them here is the whole of -chdir
            cli.registerConverter(java.nio.file.Path.class, text -> base.resolve(text));
        }
        applyModelTransformers(cli);
        cli.setOut(context.out());
        cli.setErr(context.err());
        cli.setParameterExceptionHandler((e, args2) -> {
            CommandLine where = e.getCommandLine();
            context.err().println("Error: " + e.getMessage());
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
                CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, context.err());
            }
            if (e instanceof CommandLine.UnmatchedArgumentException && e.getMessage().contains("-chdir")) {
                context.err().println("-chdir goes before the command, as in Terraform: certform -chdir=DIR "
                        + where.getCommandSpec().name() + " ...");
            }
            context.err().println("Run '" + where.getCommandSpec().qualifiedName() + " --help' for usage.");
            context.err().flush();
            return ERROR;
        });
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> handle(e, context, commandLine));
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            code = handle(e, context, cli.getParseResult() == null ? cli
                    : cli.getParseResult().asCommandLineList().get(cli.getParseResult().asCommandLineList().size() - 1));
        } finally {
            for (AutoCloseable command : created) {
                try {
                    command.close();
                } catch (Exception ignored) {
                    // releasing is best effort: a lease left behind expires by itself
                }
            }
        }
        context.out().flush();
        context.err().flush();
        return code;
    }

    /**
     * The whole command model, every command added, as help builds it: for the manual pages and the checks that
     * the documentation names only commands and options that exist. Its commands have no context: parse, never run.
     */
    public static CommandLine model() {
        CommandLine cli = new CommandLine(new Main());
        COMMANDS.forEach(cli::addSubcommand);
        applyModelTransformers(cli);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setHelpFactory(WordWrappingHelp.FACTORY);
        return cli;
    }

    private static boolean isChdir(String arg) {
        return arg.equals("-chdir") || arg.equals("--chdir") || arg.startsWith("-chdir=") || arg.startsWith("--chdir=");
    }

    /**
     * Applies each command's {@code modelTransformer} (e.g. destroy's, which hides the apply inputs it refuses):
     * picocli applies them only to the subcommands a CommandLine is built with, not to those added afterwards.
     */
    private static void applyModelTransformers(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            CommandLine.IModelTransformer transformer = sub.getCommandSpec().modelTransformer();
            if (transformer != null) {
                transformer.transform(sub.getCommandSpec());
            }
        }
    }

    /** The command called {@code name}, or null. */
    private static Class<?> named(String name) {
        for (Class<?> command : COMMANDS) {
            if (command.getAnnotation(Command.class).name().equals(name)) {
                return command;
            }
        }
        return null;
    }

    /**
     * The one place where exceptions become messages and exit codes. A command writing JSON gets its error as a
     * JSON diagnostic on standard output.
     */
    private static int handle(Throwable e, Context context, CommandLine commandLine) {
        boolean json = commandLine.getCommand() instanceof Output command && command.jsonOutput();
        boolean noColor = commandLine.getCommand() instanceof Output command && command.noColor();
        Style style = context.errStyle(noColor);
        String message;
        int code = ERROR;
        if (e instanceof CliException cli) {
            message = cli.getMessage() == null ? "" : cli.getMessage();
            code = cli.exitCode;
        } else if (e instanceof StateException || e instanceof ProviderException) {
            message = e.getMessage();
        } else if (Exhaustion.of(e) != null) {
            // not a bug: the machine ran out of something; what was done is recorded (journal and state)
            Exhaustion what = Exhaustion.of(e);
            message = what.cause() + ". " + capitalized(what.remedy()) + ", then run the command again: what was"
                    + " done is recorded, and an apply resumes where this one stopped.";
        } else {
            message = "certform failed unexpectedly: " + e.getClass().getName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
            if (json) {
                new JsonDiagnosticsView(context.out()).render(Diagnostic.error(null, message,
                        "This is a bug in certform; please report it with the command you ran."));
            } else {
                context.err().println(style.red("Error: ") + message);
                context.err().println("This is a bug in certform; please report it with the command you ran.");
            }
            return ERROR;
        }
        if (!message.isEmpty()) {
            if (json) {
                new JsonDiagnosticsView(context.out()).render(Diagnostic.error(null, message, ""));
            } else {
                context.err().println(style.red("Error: ") + message);
            }
        }
        return code;
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Gives commands the run's {@link Context}. */
    private record ContextFactory(Context context, List<AutoCloseable> created) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (ContextAware.class.isAssignableFrom(type)) {
                K command = CommandLine.defaultFactory().create(type);
                ((ContextAware) command).context(context);
                if (command instanceof AutoCloseable closeable) {
                    created.add(closeable);
                }
                return command;
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    /** A command whose output may be JSON or uncoloured: its errors follow. */
    interface Output {
        boolean jsonOutput();

        boolean noColor();
    }

    /** A command that needs the run's context. */
    interface ContextAware {
        void context(Context context);
    }
}
