/**
 * PD's timestamp oracle (TSO): strictly increasing hybrid timestamps, physical milliseconds and
 * an 18-bit logical counter, served from a time window whose upper bound is persisted under
 * {@code /pd/{cid}/timestamp} ahead of every physical time handed out. See {@link
 * dev.jpd.server.tso.TsoAllocator} for the invariants and the locking.
 */
package dev.jpd.server.tso;
