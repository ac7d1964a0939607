/** The {@code strata} command line (picocli): run, check-config, bench. */
package dev.strata.cli;
