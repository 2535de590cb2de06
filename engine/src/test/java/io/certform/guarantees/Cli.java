package io.certform.guarantees;

import io.certform.cli.CliRun;

/** One in-process run of certform with {@link CliRun#TOKEN_ENV}, under this package's older name: {@link CliRun}. */
record Cli(int exitCode, String out, String err) {

    static Cli run(String... args) {
        CliRun run = CliRun.run(args);
        return new Cli(run.exitCode(), run.out(), run.err());
    }

    String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
