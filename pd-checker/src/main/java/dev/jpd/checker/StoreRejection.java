package dev.jpd.checker;

/**
 * A store that a checker considered and filtered out.
 *
 * @param storeId the store
 * @param filter the filter's name ("store-state", "low-space", "isolation", ...)
 * @param why what about the store made the filter refuse it, with the values
 */
public record StoreRejection(long storeId, String filter, String why) {}
