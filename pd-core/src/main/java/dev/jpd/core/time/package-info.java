/**
 * Time as PD writes it: Go's duration strings ({@code "30m"}, {@code "1h30m"}), parsed and
 * formatted exactly as Go does, for the config, the HTTP API and region-label TTLs.
 */
package dev.jpd.core.time;
