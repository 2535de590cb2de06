package io.certform.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script.", "Use: source <(certform completion bash)",
                "Addresses after --target, --exclude and state show|rm are completed from the state and the manifest"
                        + " (of -f FILE when the line names one)."})
final class CompletionCommand implements Callable<Integer>, Main.ContextAware {
    @Parameters(paramLabel = "SHELL", description = "The shell: bash (zsh reads it too, with bashcompinit).")
    String shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Context context;

    /**
     * Asks certform for the addresses (a script cannot hold them: they change with the state), passing on the
     * line's -f and --state, and without globbing the brackets of {@code KEY[DOMAIN]}.
     */
    static final String ADDRESSES = """

            # Addresses for --target, --exclude and state show|rm: from the state and the manifest, asked of certform.
            function _certform_addresses() {
              local args=() i word program=${COMP_WORDS[0]/#\\~/$HOME}
              for ((i = 1; i < COMP_CWORD; i++)); do
                case ${COMP_WORDS[i]} in
                  -f|--file|--state|-state) word=${COMP_WORDS[i+1]}; args+=("${COMP_WORDS[i]}" "${word/#\\~/$HOME}") ;;
                esac
              done
              "$program" __complete-addresses "${args[@]}" 2>/dev/null
            }

            function _certform_complete_addresses() {
              local words
              words=$(_certform_addresses)
              mapfile -t COMPREPLY < <(compgen -W "${words}" -- "${COMP_WORDS[COMP_CWORD]}")
            }
            """;

    @Override
    public void context(Context value) {
        this.context = value;
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CliException(Main.ERROR, "no completion for '" + shell + "': certform completes bash and zsh.");
        }
        context.out().print(withAddresses(AutoComplete.bash("certform", spec.root().commandLine())));
        return Main.OK;
    }

    /** picocli's script, with addresses completed where an address is expected. */
    static String withAddresses(String script) {
        String result = script;
        for (String option : new String[] {"target", "exclude"}) {
            // picocli writes the case as --target|-target) or, quoted, '--target'|'-target'); either ends in return.
            result = result.replaceAll("(?m)^(\\s+'?--" + option + "'?\\|'?-" + option + "'?\\))\n(\\s+)return\n",
                    "$1\n$2_certform_complete_addresses\n$2return 0\n");
        }
        for (String function : new String[] {"_picocli_certform_state_show", "_picocli_certform_state_rm"}) {
            int start = result.indexOf("function " + function + "()");
            int end = result.indexOf("\n}\n", start);
            if (start >= 0 && end > start) {
                String body = result.substring(start, end).replace("    local positionals=\"\"\n",
                        "    local positionals=\"\"\n    _certform_complete_addresses\n    return 0\n");
                result = result.substring(0, start) + body + result.substring(end);
            }
        }
        int complete = result.lastIndexOf("\ncomplete -F ");
        return complete < 0 ? result + ADDRESSES : result.substring(0, complete) + ADDRESSES + result.substring(complete);
    }
}
