/**
 * Store limits (PD's {@code pkg/core/storelimit}, v1): a token bucket per store and limit type
 * that caps how fast operators add and remove peers on a store. The operator controller checks
 * them before it starts an operator and takes the tokens when it does; urgent operators bypass
 * them.
 */
package dev.jpd.core.storelimit;
