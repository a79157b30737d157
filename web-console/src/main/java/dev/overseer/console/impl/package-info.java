/**
 * How the console works inside; nothing here is API. {@code Model} reads the supervisors and
 * remembers events ({@code EventLog}), {@code Tree} assembles what the page shows, {@code Api}
 * and {@code LiveChannel} serve it, {@code Tokens} guards it, and {@code Servers} is the one
 * place that knows about {@code Server}.
 */
package dev.overseer.console.impl;
