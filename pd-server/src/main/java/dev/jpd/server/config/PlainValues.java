package dev.jpd.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsed TOML values as unmodifiable plain Java values, for sections kept but not modelled. */
final class PlainValues {

  private PlainValues() {}

  /**
   * Tables become unmodifiable maps in file order, arrays unmodifiable lists, whole numbers
   * {@code Long} (or {@code BigInteger} beyond it), other numbers {@code Double}, strings and
   * booleans themselves.
   */
  static Object of(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), of(e.getValue())));
      return Collections.unmodifiableMap(map);
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(of(item)));
      return Collections.unmodifiableList(list);
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }
}
