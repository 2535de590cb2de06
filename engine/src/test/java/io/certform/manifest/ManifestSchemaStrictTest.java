package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * schemas/certform.schema.json is a schema that strict tools take as it is: it conforms to the JSON Schema 2020-12
 * meta-schema, and it passes the rules of a strict validator (as {@code ajv --strict}): no unknown keyword, no union
 * type, every type-specific keyword under a {@code type} that admits it, every {@code required} name defined in the
 * {@code properties} beside it.
 */
class ManifestSchemaStrictTest {

    private static final Set<String> KNOWN = Set.of(
            "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
            "prefixItems", "items", "contains", "additionalProperties", "properties", "patternProperties",
            "dependentSchemas", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
            "unevaluatedItems", "unevaluatedProperties",
            "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
            "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
            "maxProperties", "minProperties", "required", "dependentRequired",
            "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",
            "format", "contentEncoding", "contentMediaType", "contentSchema");

    /** The keywords that apply to one type only, by that type. */
    private static final Map<String, Set<String>> TYPED = Map.of(
            "string", Set.of("maxLength", "minLength", "pattern", "contentEncoding", "contentMediaType"),
            "number", Set.of("multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"),
            "object", Set.of("properties", "patternProperties", "additionalProperties", "propertyNames",
                    "dependentSchemas", "dependentRequired", "required", "maxProperties", "minProperties",
                    "unevaluatedProperties"),
            "array", Set.of("prefixItems", "items", "contains", "maxItems", "minItems", "uniqueItems", "maxContains",
                    "minContains", "unevaluatedItems"));

    /** Keywords whose subschemas apply to the same instance, so the instance's type carries over. */
    private static final Set<String> IN_PLACE = Set.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else",
            "dependentSchemas");

    @Test
    void schema_conformsToTheDraft202012MetaSchema() throws Exception {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Schema meta = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<Error> errors = meta.validate(ManifestSchemaTest.schemaJson());
        assertEquals(List.of(), errors.stream().map(Error::toString).toList());
    }

    @Test
    void schema_passesTheStrictRules() throws Exception {
        List<String> problems = new ArrayList<>();
        check(ManifestSchemaTest.schemaJson(), "#", null, problems);
        assertEquals(List.of(), problems);
    }

    private static void check(JsonNode node, String at, String inherited, List<String> problems) {
        if (!node.isObject()) {
            return; // true / false
        }
        for (String keyword : node.propertyNames()) {
            if (!KNOWN.contains(keyword)) {
                problems.add(at + ": unknown keyword '" + keyword + "'");
            }
        }
        String type = inherited;
        if (node.has("type")) {
            if (!node.get("type").isString()) {
                problems.add(at + ": a union type " + node.get("type") + " (write anyOf of one type each)");
            } else {
                type = node.get("type").asString();
            }
        }
        for (Map.Entry<String, Set<String>> family : TYPED.entrySet()) {
            for (String keyword : family.getValue()) {
                boolean admits = family.getKey().equals(type)
                        || family.getKey().equals("number") && "integer".equals(type);
                if (node.has(keyword) && !admits) {
                    problems.add(at + ": '" + keyword + "' without type " + family.getKey());
                }
            }
        }
        for (JsonNode name : node.path("required")) {
            if (!node.path("properties").has(name.asString())) {
                problems.add(at + ": required '" + name.asString() + "' is not defined in the properties beside it");
            }
        }
        for (Map.Entry<String, JsonNode> child : node.properties()) {
            String keyword = child.getKey();
            JsonNode value = child.getValue();
            String here = at + "/" + keyword;
            switch (keyword) {
                case "properties", "patternProperties", "dependentSchemas", "$defs" -> {
                    for (Map.Entry<String, JsonNode> e : value.properties()) {
                        check(e.getValue(), here + "/" + e.getKey(), keyword.equals("dependentSchemas") ? type : null,
                                problems);
                    }
                }
                case "allOf", "anyOf", "oneOf", "prefixItems" -> {
                    for (int i = 0; i < value.size(); i++) {
                        check(value.get(i), here + "/" + i, IN_PLACE.contains(keyword) ? type : null, problems);
                    }
                }
                case "not", "if", "then", "else" -> check(value, here, type, problems);
                case "additionalProperties", "items", "contains", "unevaluatedItems", "unevaluatedProperties",
                     "contentSchema" -> check(value, here, null, problems);
                case "propertyNames" -> check(value, here, "string", problems);
                default -> {
                }
            }
        }
    }
}
