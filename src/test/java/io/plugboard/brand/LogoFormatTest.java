package io.plugboard.brand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.common.InvalidRequestException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The type of a logo comes from its bytes; what it claims to be (name, Content-Type) plays no part. */
class LogoFormatTest {

    static byte[] image(String format, int width, int height) {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Test
    void recognisesPngJpegAndSvgByTheirBytes() {
        assertThat(LogoFormat.sniff(image("png", 40, 20))).isEqualTo(LogoFormat.PNG);
        assertThat(LogoFormat.sniff(image("jpeg", 40, 20))).isEqualTo(LogoFormat.JPEG);
        assertThat(LogoFormat.sniff("\uFEFF  <?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(LogoFormat.SVG);
        assertThat(LogoFormat.sniff("<svg/>".getBytes(StandardCharsets.UTF_8))).isEqualTo(LogoFormat.SVG);
    }

    @Test
    void refusesOtherTypesWhateverTheyAreCalled() {
        byte[] gif = image("gif", 4, 4);
        assertThatThrownBy(() -> LogoFormat.sniff(gif)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("PNG, JPEG or SVG");
        byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> LogoFormat.sniff(html)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> LogoFormat.sniff(new byte[0])).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void refusesAFileThatOnlyStartsLikeAnImage() {
        byte[] png = image("png", 40, 20);
        byte[] truncated = Arrays.copyOf(png, 20);
        assertThatThrownBy(() -> LogoFormat.sniff(truncated)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not a readable PNG");
        byte[] fakeJpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, '<', 's', 'c', 'r', 'i', 'p', 't', '>'};
        assertThatThrownBy(() -> LogoFormat.sniff(fakeJpeg)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void refusesTooLargeFilesAndImages() {
        byte[] big = new byte[LogoFormat.MAX_BYTES + 1];
        System.arraycopy(image("png", 4, 4), 0, big, 0, image("png", 4, 4).length);
        assertThatThrownBy(() -> LogoFormat.sniff(big)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("at most 256 KB");
        assertThatThrownBy(() -> LogoFormat.sniff(image("png", LogoFormat.MAX_PIXELS_PER_SIDE + 1, 1)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("pixels");
    }
}
