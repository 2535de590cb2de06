package io.certform.cli;

import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import io.certform.state.StateVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "state", mixinStandardHelpOptions = true, description = "Inspect and edit the state.",
        subcommands = {StateCommand.ListCommand.class, StateCommand.ShowCommand.class, StateCommand.RmCommand.class, StateCommand.MvCommand.class,
                StateCommand.HistoryCommand.class, StateMigrateCommand.class, StateSchemaCommand.class})
final class StateCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new CliException(Main.ERROR, "a state command is required: list, show ADDR, rm ADDR..., mv OLD NEW,"
                + " history, migrate --to postgres|local, or schema");
    }

    abstract static class StateSubcommand extends ManifestCommand {
        StateStore store() {
            return stateStore();
        }

        /**
         * The current state; none at all (never written: a wrong path, workspace or database as often as a new
         * project) is an error, as Terraform's {@code state list} makes it, so that a script cannot mistake it for
         * an empty state.
         */
        State existing(StateStore store) throws StateException {
            State state = store.read();
            if (state.serial() == 0 && state.resources().isEmpty()) {
                throw new CliException(Main.ERROR, "no state at " + store.describe() + ": nothing has been applied"
                        + " there yet. Check the manifest's state (or --state); 'certform apply' creates it.");
            }
            return state;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"List the addresses in the state.",
            "Where there is no state at all (nothing applied yet, or another state path or workspace), says so and"
                    + " exits 1."})
    static final class ListCommand extends StateSubcommand {
        @Override
        public Integer call() throws StateException {
            existing(store()).resources().forEach(r -> context.out().println(r.key()));
            return Main.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show one binding as the state records it.",
                    "With --serial, from a previous state ('certform state history' lists them); without ADDR, every"
                            + " binding of that state. Where there is no state at all, says so and exits 1."})
    static final class ShowCommand extends StateSubcommand {
        @Parameters(arity = "0..1", paramLabel = "ADDR", description = "The binding's address.")
        String address;

        @Option(names = "--serial", paramLabel = "N", description = "Show the state with this serial.")
        Long serial;

        @Override
        public Integer call() throws StateException {
            StateStore store = store();
            State state;
            if (serial == null) {
                if (address == null) {
                    throw new CliException(Main.ERROR, "an address is required ('certform state list' lists them),"
                            + " or --serial N to show a whole state from the history.");
                }
                state = existing(store);
            } else {
                state = store.version(serial).orElseThrow(() -> new CliException(Main.ERROR, "no state with serial "
                        + serial + " is kept; 'certform state history' lists the serials there are."));
            }
            if (address == null) {
                context.out().println("# state serial " + state.serial() + " (lineage " + state.lineage()
                        + ", certform " + state.certformVersion() + "): " + state.resources().size() + " binding(s)");
                state.resources().forEach(this::print);
                return Main.OK;
            }
            Optional<ResourceState> found = state.resources().stream().filter(r -> r.key().equals(address))
                    .findFirst(); // a deposed object by its key, as listed
            if (found.isEmpty()) {
                throw new CliException(Main.ERROR, "no binding " + address + " in the state"
                        + (serial == null ? "" : " with serial " + serial) + "; 'certform state list' lists what is"
                        + " there.");
            }
            print(found.get());
            return Main.OK;
        }

        private void print(ResourceState r) {
            context.out().println("# " + r.key() + ":");
            print(context.out(), r);
        }

        /** One recorded resource and its attributes, Terraform's way. */
        static void print(java.io.PrintWriter out, ResourceState r) {
            String[][] rows = {{"certificate", r.certificate()}, {"instance_id", r.instanceId()},
                    {"group_id", r.groupId()}, {"domain_id", r.domainId()}, {"url_domain", r.urlDomain()},
                    {"ssl_id", r.sslId()}, {"ssl_name", r.sslName()}, {"type", r.type()},
                    {"certificate_instance_id", r.certificateInstanceId()}, {"algorithm_type", r.algorithmType()},
                    {"issuer", r.issuer()}, {"serial_number", r.serialNumber()}, {"not_after", r.notAfter()},
                    {"cert_sha256", r.certSha256()}, {"chain_sha256", r.chainSha256()},
                    {"trusted_root_ca_sha256", r.trustedRootCaSha256()}};
            out.println((r.certificateResource() ? "certificate" : r.shared() ? "attachment" : "binding")
                    + " \"" + r.address() + "\" {");
            if (!ResourceState.DEFAULT_PROVIDER.equals(r.provider())) { // the default's show as they always did
                out.printf("    %-23s = \"%s\"%n", "provider", r.provider());
            }
            for (String[] row : rows) {
                if (row[1] != null) {
                    out.printf("    %-23s = \"%s\"%n", row[0], row[1]);
                }
            }
            out.println("}");
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = {"List the current state and the previous ones kept (the last "
                    + StateStore.HISTORY + "), newest first.",
                    "'certform state show --serial N' shows one."})
    static final class HistoryCommand extends StateSubcommand {
        @Override
        public Integer call() throws StateException {
            List<StateVersion> versions = store().history();
            if (versions.isEmpty()) {
                context.out().println("No state yet: nothing has been applied.");
                return Main.OK;
            }
            context.out().printf("%-8s %-24s %-9s %s%n", "SERIAL", "WRITTEN AT", "RESOURCES", "CERTFORM");
            for (StateVersion v : versions) {
                context.out().printf("%-8d %-24s %-9d %s%n", v.serial(), v.writtenAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        v.resources(), v.certformVersion());
            }
            return Main.OK;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = {"Forget bindings: remove them from the state without touching the remote side.",
                    "The certificates stay bound; 'certform import' adopts them again."})
    static final class RmCommand extends StateSubcommand {
        @Parameters(arity = "1..*", paramLabel = "ADDR", description = "Addresses to remove.")
        List<String> addresses;

        @Mixin
        LockOptions locking;

        @Override
        public Integer call() throws StateException {
            StateStore store = store();
            try (StateStore.Held lock = locking.acquire(store, "state rm", context::note)) {
                refuseUnsettled(store);
                State state = store.read();
                List<ResourceState> kept = new ArrayList<>(state.resources());
                for (String address : addresses) {
                    if (kept.stream().noneMatch(r -> r.key().equals(address))) {
                        throw new CliException(Main.ERROR, "no binding " + address + " in the state; nothing was"
                                + " removed.");
                    }
                    kept.removeIf(r -> r.key().equals(address)); // a deposed object only by its key, as listed
                }
                store.checkWritable();
                store.write(state.next(kept, Version.VALUE));
                addresses.forEach(a -> context.out().println("Removed " + a));
                context.out().println("Successfully removed " + addresses.size() + " binding(s) from the state;"
                        + " the previous state is kept as serial " + state.serial() + " ('certform state show"
                        + " --serial " + state.serial() + "').");
                return Main.OK;
            }
        }
    }

    @Command(name = "mv", mixinStandardHelpOptions = true,
            description = {"Record a binding under another address, without touching the remote side.",
                    "For a certificate key renamed in the manifest; 'plan' also plans such a rename as a move."})
    static final class MvCommand extends StateSubcommand {
        @Parameters(index = "0", paramLabel = "OLD", description = "The binding's address now.")
        String from;

        @Parameters(index = "1", paramLabel = "NEW", description = "Its new address, KEY[DOMAIN].")
        String to;

        @Mixin
        LockOptions locking;

        @Override
        public Integer call() throws StateException {
            if (!java.util.regex.Pattern.matches(
                    "^(provider\\.[a-z][a-z0-9_-]{0,31}\\.)?[A-Za-z_][A-Za-z0-9_-]*\\[[^\\]\\s]+]$", to)) {
                throw new CliException(Main.ERROR, "'" + to + "' is not a binding address: write KEY[DOMAIN], e.g."
                        + " shop[api.example.com], or provider.NAME.KEY[DOMAIN] for a provider other than default."
                        + " Nothing was moved.");
            }
            if (to.startsWith(ResourceState.PROVIDER_PREFIX + ResourceState.DEFAULT_PROVIDER + ".")) {
                throw new CliException(Main.ERROR, "'" + to + "': the default provider's addresses have no prefix;"
                        + " write " + to.substring((ResourceState.PROVIDER_PREFIX + "default.").length())
                        + ". Nothing was moved.");
            }
            StateStore store = store();
            try (StateStore.Held lock = locking.acquire(store, "state mv", context::note)) {
                refuseUnsettled(store);
                State state = store.read();
                if (state.resources().stream().anyMatch(r -> r.deposed() && r.key().equals(from))) {
                    throw new CliException(Main.ERROR, from + " is the old half of a replacement, kept until the next"
                            + " apply removes it: it is not moved. 'certform state rm' forgets it. Nothing was moved.");
                }
                ResourceState moving = state.resource(from).orElseThrow(() -> new CliException(Main.ERROR,
                        "no binding " + from + " in the state; 'certform state list' lists what is there. Nothing"
                                + " was moved."));
                if (state.resource(to).isPresent()) {
                    throw new CliException(Main.ERROR, to + " is already in the state; remove it first with"
                            + " 'certform state rm " + to + "' if it is stale. Nothing was moved.");
                }
                String qualified = to.substring(0, to.indexOf('['));
                String key = qualified.substring(qualified.lastIndexOf('.') + 1); // after provider.NAME.
                ResourceState moved = moving.at(to, key);
                List<ResourceState> next = new ArrayList<>(state.resources());
                next.removeIf(r -> r.key().equals(from));
                next.add(moved);
                store.checkWritable();
                store.write(state.next(next, Version.VALUE));
                context.out().println("Moved " + from + " to " + to + "; the previous state is kept as serial "
                        + state.serial() + ".");
                return Main.OK;
            }
        }
    }

    /** A state edit on top of an interrupted run would be undone when the run is settled: refuse it. */
    static void refuseUnsettled(StateStore store) throws StateException {
        List<JournalRecord> left = store.journal();
        if (left.isEmpty()) {
            return;
        }
        long calls = left.stream().map(JournalRecord::address).distinct().count();
        throw new CliException(Main.ERROR, "an interrupted run left " + calls + " unfinished call(s); run 'certform"
                + " apply' (or 'certform refresh') first so they are settled. Nothing was changed.");
    }
}
