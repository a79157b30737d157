/**
 * The web console: the live supervision tree of a node in a browser and as a JSON API.
 * Deploy a {@link dev.overseer.console.Console} configured by
 * {@link dev.overseer.console.ConsoleOptions}; see {@code docs/console.md}.
 */
package dev.overseer.console;
