package dev.jpd.core.storage;

/** The backing store failed (unreachable etcd, closed store, I/O error). */
public class MetaStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetaStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public MetaStoreException(String message) {
    super(message);
  }
}
