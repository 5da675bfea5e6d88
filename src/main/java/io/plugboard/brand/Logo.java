package io.plugboard.brand;

/** A stored logo: PNG or JPEG as uploaded and checked, SVG as sanitised. */
public record Logo(byte[] bytes, LogoFormat format) {
}
