package io.plugboard.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretVaultTest {

    private final UUID tenant = UUID.randomUUID();
    private final SecretBinding row = new SecretBinding("tenant.client_secret", tenant, tenant.toString());

    @Test
    void sealedSecretOpensOnItsOwnRow() {
        var vault = new SecretVault(MasterKeys.generate());
        byte[] sealed = vault.seal(row, "s3cret-value");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret-value");
        assertThat(vault.open(row, sealed)).isEqualTo("s3cret-value");
    }

    @Test
    void ciphertextMovedToAnotherRowDoesNotOpen() {
        var vault = new SecretVault(MasterKeys.generate());
        byte[] sealed = vault.seal(row, "s3cret-value");
        UUID other = UUID.randomUUID();
        assertThatThrownBy(() -> vault.open(new SecretBinding("tenant.client_secret", other, other.toString()), sealed))
                .isInstanceOf(SecretUnreadableException.class)
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> vault.open(new SecretBinding("tenant.client_secret", tenant, "another-row"), sealed))
                .isInstanceOf(SecretUnreadableException.class);
        assertThatThrownBy(() -> vault.open(new SecretBinding("credential.token", tenant, tenant.toString()), sealed))
                .isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void tamperedCiphertextDoesNotOpen() {
        var vault = new SecretVault(MasterKeys.generate());
        byte[] sealed = vault.seal(row, "s3cret-value");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> vault.open(row, sealed)).isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void rotationKeepsOldCiphertextsReadableUntilTheOldKeyIsRetired() {
        var original = MasterKeys.generate();
        var oldVault = new SecretVault(original);
        byte[] sealedWithOld = oldVault.seal(row, "s3cret-value");

        var rotated = MasterKeys.withNewPrimary(original);
        var newVault = new SecretVault(rotated);
        assertThat(newVault.primaryKeyId()).isNotEqualTo(oldVault.primaryKeyId());
        assertThat(newVault.keys()).hasSize(2);
        assertThat(newVault.sealedWithPrimary(sealedWithOld)).isFalse();
        assertThat(newVault.open(row, sealedWithOld)).isEqualTo("s3cret-value");

        byte[] resealed = newVault.reseal(row, sealedWithOld);
        assertThat(newVault.sealedWithPrimary(resealed)).isTrue();
        assertThat(SecretVault.keyIdOf(resealed)).isEqualTo(newVault.primaryKeyId());

        var retired = new SecretVault(MasterKeys.withoutKey(rotated, oldVault.primaryKeyId()));
        assertThat(retired.open(row, resealed)).isEqualTo("s3cret-value");
        assertThatThrownBy(() -> retired.open(row, sealedWithOld)).isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void thePrimaryKeyCannotBeRetired() {
        var keyset = MasterKeys.generate();
        assertThatThrownBy(() -> MasterKeys.withoutKey(keyset, keyset.getPrimary().getId()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodedKeysetRoundTripsAndGarbageIsRefusedWithoutEchoingIt() {
        var keyset = MasterKeys.generate();
        var vault = new SecretVault(keyset);
        byte[] sealed = vault.seal(row, "value");
        assertThat(new SecretVault(MasterKeys.decode(MasterKeys.encode(keyset))).open(row, sealed)).isEqualTo("value");
        assertThatThrownBy(() -> MasterKeys.decode("not base64 !!")).hasMessage("master key is not valid Base64");
        assertThatThrownBy(() -> MasterKeys.decode("aGVsbG8=")).hasMessage("master key is not a Tink JSON keyset");
    }

    @Test
    void commandGeneratesRotatesAndShowsKeys() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        assertThat(MasterKeyCommand.run(new String[] {"generate"}, new PrintStream(out), new PrintStream(err))).isZero();
        String generated = out.toString().strip();
        out.reset();
        assertThat(MasterKeyCommand.run(new String[] {"rotate", generated}, new PrintStream(out), new PrintStream(err)))
                .isZero();
        String rotated = out.toString().strip();
        assertThat(MasterKeys.decode(rotated).size()).isEqualTo(2);
        out.reset();
        assertThat(MasterKeyCommand.run(new String[] {"show", rotated}, new PrintStream(out), new PrintStream(err)))
                .isZero();
        assertThat(out.toString().lines()).hasSize(2).anyMatch(line -> line.contains("primary"));
        assertThat(MasterKeyCommand.run(new String[] {"rotate"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(1);
    }
}
