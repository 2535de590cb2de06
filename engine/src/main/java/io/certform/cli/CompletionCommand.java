package io.certform.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script.", "Use: source <(certform completion bash)",
                "Addresses after --target, --exclude, -replace, import and state show|rm|mv are completed from the"
                        + " state and the manifest (of -f FILE, in the -chdir folder, when the line names them), full"
                        + " KEY[DOMAIN] addresses where a bare key is refused; true|false after -refresh and -lock;"
                        + " each command offers only its own options."})
final class CompletionCommand implements Callable<Integer>, Main.ContextAware {
    @Parameters(paramLabel = "SHELL", description = "The shell: bash (zsh reads it too, with bashcompinit).")
    String shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Context context;

    /**
     * Asks certform for the addresses (a script cannot hold them: they change with the state), passing on the
     * line's -chdir, -f and --state, and {@code --keys} where the command takes a certificate's key as well as a
     * {@code KEY[DOMAIN]}; without globbing the brackets of {@code KEY[DOMAIN]}.
     */
    static final String ADDRESSES = """

            # Addresses for --target, --exclude, -replace, import and state show|rm|mv: from the state and the manifest,
            # asked of certform in the line's -chdir folder. --keys: the command takes a certificate's key too.
            function _certform_addresses() {
              local args=() i word program=${COMP_WORDS[0]/#\\~/$HOME}
              if [[ -n ${_certform_chdir} ]]; then args+=("-chdir=${_certform_chdir/#\\~/$HOME}"); fi
              args+=(__complete-addresses "$@")
              for ((i = 1; i < COMP_CWORD; i++)); do
                case ${COMP_WORDS[i]} in
                  -f|--file|--state|-state) word=${COMP_WORDS[i+1]}; args+=("${COMP_WORDS[i]}" "${word/#\\~/$HOME}") ;;
                esac
              done
              "$program" "${args[@]}" 2>/dev/null
            }

            function _certform_complete_addresses() {
              local words
              words=$(_certform_addresses "$@")
              mapfile -t COMPREPLY < <(compgen -W "${words}" -- "${COMP_WORDS[COMP_CWORD]}")
            }
            """;

    /**
     * Put first in {@code _complete_certform}: {@code certform -chdir=DIR COMMAND ...} (bash splits it at '=' into
     * {@code -chdir = DIR}) is completed as {@code certform COMMAND ...} would be, DIR kept for
     * {@code _certform_addresses}; the folder itself is completed with folders.
     */
    static final String CHDIR = """
              # -chdir=DIR (or -chdir DIR) before the command: complete the rest as without it, and ask for addresses there.
              local _certform_chdir="" _certform_words=("${COMP_WORDS[@]}") _certform_skip=0 _certform_cword
              case ${COMP_WORDS[1]} in
                -chdir=*|--chdir=*) _certform_chdir=${COMP_WORDS[1]#*=}; _certform_skip=1 ;;
                -chdir|--chdir)
                  if ((COMP_CWORD > 1)) && [[ ${COMP_WORDS[2]} == "=" ]]; then
                    _certform_chdir=${COMP_WORDS[3]}; _certform_skip=3
                  elif ((COMP_CWORD > 1)); then
                    _certform_chdir=${COMP_WORDS[2]}; _certform_skip=2
                  fi ;;
              esac
              if ((_certform_skip > 0 && COMP_CWORD <= _certform_skip)); then
                local _certform_cur=${COMP_WORDS[COMP_CWORD]} _certform_prefix=""
                [[ ${_certform_cur} == "=" ]] && _certform_cur=""
                case ${_certform_cur} in -chdir=*|--chdir=*) _certform_prefix=${_certform_cur%%=*}=; _certform_cur=${_certform_cur#*=} ;; esac
                local IFS=$'\n'
                COMPREPLY=( $(compgen -d -P "${_certform_prefix}" -- "${_certform_cur}") )
                return 0
              fi
              if ((_certform_skip > 0)); then
                _certform_cword=$((COMP_CWORD - _certform_skip))
                local COMP_CWORD=${_certform_cword}
                local COMP_WORDS=("${_certform_words[0]}" "${_certform_words[@]:_certform_skip+1}")
                local COMP_LINE="${COMP_WORDS[*]:0:COMP_CWORD+1}"
              fi
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

    /** In {@code function}, the positional parameters are completed with {@code words}. */
    private static String positionals(String script, String function, String words) {
        int start = script.indexOf("function " + function + "()");
        int end = script.indexOf("\n}\n", start);
        if (start < 0 || end < start) {
            return script;
        }
        String body = script.substring(start, end).replace("    local positionals=\"\"\n",
                "    COMPREPLY=( $(compgen -W \"" + words + "\" -- \"${curr_word}\") )\n    return 0\n");
        return script.substring(0, start) + body + script.substring(end);
    }

    /**
     * After {@code --NAME} or {@code -NAME} of an option that takes {@code true|false} (picocli's script treats a
     * boolean as a flag and would offer nothing), in every command that has it: {@code true false}.
     */
    private static String booleanValues(String script, String name) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int start = script.indexOf("\nfunction _picocli_certform"); start >= 0;
             start = script.indexOf("\nfunction _picocli_certform", start + 1)) {
            int end = script.indexOf("\n}\n", start);
            String body = script.substring(start, end);
            if (body.contains("'--" + name + "' '-" + name + "'") && body.contains("  case ${prev_word} in\n")) {
                body = body.replace("  case ${prev_word} in\n", "  case ${prev_word} in\n    '--" + name + "'|'-"
                        + name + "')\n      COMPREPLY=( $(compgen -W \"true false\" -- \"${curr_word}\") )\n"
                        + "      return 0\n      ;;\n");
            }
            out.append(script, from, start).append(body);
            from = end;
        }
        return out.append(script.substring(from)).toString();
    }

    /**
     * picocli's script, made to offer only what each command accepts: addresses where an address is expected,
     * {@code true false} after the options that take a boolean value, enum values as the help writes them
     * (lowercase), the shells after {@code completion}.
     */
    static String withAddresses(String script) {
        String result = script;
        // --target, --exclude and import take a certificate's key (all its bindings) as well as KEY[DOMAIN];
        // -replace and state show|rm|mv refuse a bare key, so they are offered full addresses only.
        for (String option : new String[] {"target", "exclude", "replace"}) {
            String call = option.equals("replace") ? "_certform_complete_addresses" : "_certform_complete_addresses --keys";
            // picocli writes the case as --target|-target) or, quoted, '--target'|'-target'); either ends in return.
            result = result.replaceAll("(?m)^(\\s+'?--" + option + "'?\\|'?-" + option + "'?\\))\n(\\s+)return\n",
                    "$1\n$2" + call + "\n$2return 0\n");
        }
        for (String function : new String[] {"_picocli_certform_state_show", "_picocli_certform_state_rm",
                "_picocli_certform_state_mv", "_picocli_certform_import"}) {
            String call = function.equals("_picocli_certform_import") ? "_certform_complete_addresses --keys"
                    : "_certform_complete_addresses";
            int start = result.indexOf("function " + function + "()");
            int end = result.indexOf("\n}\n", start);
            if (start >= 0 && end > start) {
                String body = result.substring(start, end).replace("    local positionals=\"\"\n",
                        "    local positionals=\"\"\n    " + call + "\n    return 0\n");
                result = result.substring(0, start) + body + result.substring(end);
            }
        }
        result = result.replace("function _complete_certform() {\n", "function _complete_certform() {\n" + CHDIR);
        result = positionals(result, "_picocli_certform_completion", "bash zsh");
        result = booleanValues(result, "refresh");
        result = booleanValues(result, "lock");
        // enum values: picocli writes the constants' names; the help and the docs write them in lowercase
        java.util.regex.Matcher values = java.util.regex.Pattern.compile(
                "(?m)^(\\s+local \\w+_option_args=\\()([^)]*)\\)").matcher(result);
        StringBuilder lowered = new StringBuilder();
        while (values.find()) {
            values.appendReplacement(lowered, java.util.regex.Matcher.quoteReplacement(values.group(1)
                    + values.group(2).toLowerCase(java.util.Locale.ROOT) + ")"));
        }
        values.appendTail(lowered);
        result = lowered.toString();
        int complete = result.lastIndexOf("\ncomplete -F ");
        return complete < 0 ? result + ADDRESSES : result.substring(0, complete) + ADDRESSES + result.substring(complete);
    }
}
