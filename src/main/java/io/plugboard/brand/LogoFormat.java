package io.plugboard.brand;

import io.plugboard.common.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The image types a logo may have, recognised by the file's bytes: its name and declared type are the uploader's
 * claim and are not trusted. PNG and JPEG must also decode as such; SVG goes through {@link SvgSanitizer}.
 */
public enum LogoFormat {
    PNG("image/png", "png"),
    JPEG("image/jpeg", "jpeg"),
    SVG("image/svg+xml", null);

    public static final int MAX_BYTES = 256 * 1024;
    /** Enough for a crisp logo on any screen; a larger image only slows the connect page. */
    static final int MAX_PIXELS_PER_SIDE = 4096;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final String contentType;
    private final @Nullable String imageIoName;

    LogoFormat(String contentType, @Nullable String imageIoName) {
        this.contentType = contentType;
        this.imageIoName = imageIoName;
    }

    public String contentType() {
        return contentType;
    }

    public static LogoFormat ofContentType(String contentType) {
        for (LogoFormat format : values()) {
            if (format.contentType.equals(contentType)) {
                return format;
            }
        }
        throw new IllegalArgumentException(contentType);
    }

    /** The format these bytes are, or a refusal that says what is accepted. */
    public static LogoFormat sniff(byte[] bytes) {
        if (bytes.length == 0) {
            throw new InvalidRequestException("The logo is empty.");
        }
        if (bytes.length > MAX_BYTES) {
            throw new InvalidRequestException("The logo is " + (bytes.length / 1024) + " KB; at most "
                    + (MAX_BYTES / 1024) + " KB.");
        }
        if (startsWith(bytes, PNG_SIGNATURE)) {
            return PNG.decodable(bytes);
        }
        if (bytes.length > 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return JPEG.decodable(bytes);
        }
        if (looksLikeXml(bytes)) {
            return SVG;
        }
        throw new InvalidRequestException("The logo must be a PNG, JPEG or SVG image.");
    }

    /** Reads the header through the format's own reader: a file that only starts like a PNG or JPEG is refused. */
    private LogoFormat decodable(byte[] bytes) {
        try (var in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            var readers = ImageIO.getImageReadersByFormatName(Objects.requireNonNull(imageIoName));
            if (in == null || !readers.hasNext()) {
                throw new IllegalStateException("No " + imageIoName + " reader in this JVM");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width < 1 || height < 1 || width > MAX_PIXELS_PER_SIDE || height > MAX_PIXELS_PER_SIDE) {
                    throw new InvalidRequestException("The logo is " + width + "×" + height + " pixels; at most "
                            + MAX_PIXELS_PER_SIDE + " on each side.");
                }
                reader.read(0);
                return this;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidRequestException refused) {
                throw refused;
            }
            throw new InvalidRequestException("The logo is not a readable " + name() + " image.");
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** An XML document (after a UTF-8 byte order mark and white space): whether it is an SVG the sanitiser decides. */
    private static boolean looksLikeXml(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8)
                .replace("\uFEFF", "").stripLeading();
        return head.startsWith("<?xml") || head.startsWith("<svg") || head.startsWith("<!--");
    }
}
