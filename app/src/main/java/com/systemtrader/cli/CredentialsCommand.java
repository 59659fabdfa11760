package com.systemtrader.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code system-trader credentials}: the credentials commands ({@code check}). */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = "Inspect the API credentials (environment and config/api_credentials.yaml).",
        subcommands = CredentialsCheckCommand.class)
final class CredentialsCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
