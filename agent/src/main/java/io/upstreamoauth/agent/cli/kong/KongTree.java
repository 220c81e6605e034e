package io.upstreamoauth.agent.cli.kong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a Kong file into plain maps, lists and scalars: JSON with jackson-core, anything else as
 * YAML with SnakeYAML (safe constructor: no Java types from tags). JSON is not left to the YAML
 * parser because JSON allows tabs where YAML 1.1 does not.
 */
final class KongTree {

  private KongTree() {}

  /**
   * Parses a document.
   *
   * @throws IllegalArgumentException when the text is neither JSON nor YAML, saying where
   */
  static Object parse(String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try (JsonParser parser = new JsonFactory().createParser(text)) {
        parser.nextToken();
        return read(parser);
      } catch (JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
        // quoted tokens are left out: they may be part of a secret
        String problem = e.getOriginalMessage().replaceAll("'[^']*'", "'...'");
        throw new IllegalArgumentException("not valid JSON: " + problem + where);
      } catch (IOException e) {
        throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
      }
    }
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      return new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      // not getMessage(): it quotes the line, which may hold a secret
      String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1);
      throw new IllegalArgumentException("not valid YAML: " + e.getProblem() + where);
    } catch (YAMLException e) {
      throw new IllegalArgumentException("not valid YAML");
    }
  }

  private static Object read(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      Map<String, Object> map = new LinkedHashMap<String, Object>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        map.put(name, read(parser));
      }
      return map;
    }
    if (token == JsonToken.START_ARRAY) {
      List<Object> list = new ArrayList<Object>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        list.add(read(parser));
      }
      return list;
    }
    switch (token) {
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected " + token);
    }
  }
}
