package io.certform.manifest;

import io.certform.base.SourceRange;

/**
 * A value of the manifest after reference resolution.
 *
 * @param text   the resolved text
 * @param origin where the text came from, e.g. {@code file certs/shop.crt}, {@code env CA}, {@code manifest}
 * @param range  the position of the value in the manifest
 */
public record SourceValue(String text, String origin, SourceRange range) {
}
