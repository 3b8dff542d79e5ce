/**
 * PD's ID allocator: unique region, peer and store ids handed out from a window whose end is
 * persisted under {@code /pd/{cid}/alloc_id} before any id from it leaves the process, so that a
 * restart or a leader change skips ids but never repeats one.
 */
package dev.jpd.server.id;
