package dev.jpd.server.cluster;

import dev.jpd.proto.Pdpb;

/**
 * A request the PD refuses, with the {@link Pdpb.ErrorType} a client sees in the response
 * header and a message that names the problem and its values.
 */
public final class PdException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Pdpb.ErrorType type;

  public PdException(Pdpb.ErrorType type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  public static PdException unknown(String message) {
    return new PdException(Pdpb.ErrorType.UNKNOWN, message);
  }

  public Pdpb.ErrorType type() {
    return type;
  }
}
