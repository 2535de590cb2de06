package io.certform.cli;

import io.certform.manifest.BindingSpec;
import io.certform.manifest.CertificateSpec;
import io.certform.manifest.ManifestParser;
import io.certform.state.ResourceState;
import io.certform.state.StateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import picocli.CommandLine.Command;

/**
 * For the shell's completion of addresses: one a line, from the state and the manifest. By default only full
 * addresses, {@code KEY[DOMAIN]}, which every command takes ({@code state show|rm|mv}, {@code -replace} refuse a bare
 * key); with {@code --keys} the certificate keys too, for the commands that take one ({@code --target},
 * {@code --exclude}, {@code import}). Prints nothing, and exits 0, when neither can be read: a completion must never
 * print an error into the user's command line.
 */
@Command(name = "__complete-addresses", hidden = true,
        description = "Print the addresses of the state and the manifest, one a line (for shell completion).")
final class CompleteAddressesCommand extends ManifestCommand {

    @picocli.CommandLine.Option(names = "--keys",
            description = "Also the certificates' keys (for --target, --exclude and import, which take one).")
    boolean keys;

    @Override
    public Integer call() {
        TreeSet<String> addresses = new TreeSet<>();
        // References to unset variables read as empty: completing needs no key.
        ManifestParser.Result parsed = new ManifestParser(name -> {
            String value = context.environment().get(name);
            return value == null ? "" : value;
        }).parse(common.file, common.display());
        Path state = common.state;
        if (parsed.manifest() != null) {
            for (CertificateSpec certificate : parsed.manifest().certificates()) {
                if (keys) {
                    addresses.add(certificate.key());
                }
                certificate.bindings().stream().map(BindingSpec::address).forEach(addresses::add);
            }
            if (state == null) {
                state = parsed.manifest().statePath();
            }
        }
        if (state != null && Files.isRegularFile(state)) {
            try {
                io.certform.workflow.StateStores.local(state, Version.VALUE).read().resources().stream().map(ResourceState::address)
                        .forEach(addresses::add);
            } catch (StateException e) {
                // nothing to offer from an unreadable state
            }
        }
        addresses.forEach(context.out()::println);
        return Main.OK;
    }
}
