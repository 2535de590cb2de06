/**
 * The command line: picocli commands that parse options, call one workflow service, and render through a view.
 * Exceptions become exit codes in one place ({@link io.certform.cli.Main}); nothing outside this package prints.
 * No other package imports this one.
 */
package io.certform.cli;
