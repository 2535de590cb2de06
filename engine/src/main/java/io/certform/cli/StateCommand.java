package io.certform.cli;

import io.certform.state.LocalStateStore;
import io.certform.state.LockFile;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "state", mixinStandardHelpOptions = true, description = "Inspect and edit the state.",
        subcommands = {StateCommand.ListCommand.class, StateCommand.ShowCommand.class, StateCommand.RmCommand.class})
final class StateCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new CliException(Main.ERROR, "a state command is required: list, show ADDR or rm ADDR...");
    }

    abstract static class StateSubcommand extends ManifestCommand {
        LocalStateStore store() {
            return new LocalStateStore(statePath(), Version.VALUE);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the addresses in the state.")
    static final class ListCommand extends StateSubcommand {
        @Override
        public Integer call() throws StateException {
            store().read().resources().forEach(r -> context.out().println(r.address()));
            return Main.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one binding as the state records it.")
    static final class ShowCommand extends StateSubcommand {
        @Parameters(paramLabel = "ADDR", description = "The binding's address.")
        String address;

        @Override
        public Integer call() throws StateException {
            Optional<ResourceState> found = store().read().resource(address);
            if (found.isEmpty()) {
                throw new CliException(Main.ERROR, "no binding " + address + " in the state; 'certform state list'"
                        + " lists what is there.");
            }
            ResourceState r = found.get();
            context.out().println("# " + r.address() + ":");
            String[][] rows = {{"certificate", r.certificate()}, {"instance_id", r.instanceId()},
                    {"group_id", r.groupId()}, {"domain_id", r.domainId()}, {"url_domain", r.urlDomain()},
                    {"ssl_id", r.sslId()}, {"ssl_name", r.sslName()}, {"type", r.type()},
                    {"certificate_instance_id", r.certificateInstanceId()}, {"algorithm_type", r.algorithmType()},
                    {"issuer", r.issuer()}, {"serial_number", r.serialNumber()}, {"not_after", r.notAfter()},
                    {"cert_sha256", r.certSha256()}, {"chain_sha256", r.chainSha256()},
                    {"trusted_root_ca_sha256", r.trustedRootCaSha256()}};
            context.out().println("binding \"" + r.address() + "\" {");
            for (String[] row : rows) {
                if (row[1] != null) {
                    context.out().printf("    %-23s = \"%s\"%n", row[0], row[1]);
                }
            }
            context.out().println("}");
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
            LocalStateStore store = store();
            try (LockFile.Held lock = locking.acquire(store.file(), "state rm", context.clock())) {
                State state = store.read();
                List<ResourceState> kept = new ArrayList<>(state.resources());
                for (String address : addresses) {
                    if (kept.stream().noneMatch(r -> r.address().equals(address))) {
                        throw new CliException(Main.ERROR, "no binding " + address + " in the state; nothing was"
                                + " removed.");
                    }
                    kept.removeIf(r -> r.address().equals(address));
                }
                store.checkWritable();
                store.write(state.next(kept, Version.VALUE));
                addresses.forEach(a -> context.out().println("Removed " + a));
                context.out().println("Successfully removed " + addresses.size() + " binding(s) from the state;"
                        + " the previous state is in " + store.backupFile().getFileName() + ".");
                return Main.OK;
            }
        }
    }
}
