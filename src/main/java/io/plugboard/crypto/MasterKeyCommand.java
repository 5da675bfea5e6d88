package io.plugboard.crypto;

import com.google.crypto.tink.KeysetHandle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar plugboard.jar master-key <generate|rotate|retire|show> ...}: key management without
 * starting the application. Output goes to stdout so it can be piped into a secret store.
 */
public final class MasterKeyCommand {

    private static final String USAGE = """
            usage: plugboard master-key generate
                   plugboard master-key rotate  (<base64-keyset> | --file <path>)
                   plugboard master-key retire  (<base64-keyset> | --file <path>) <key-id>
                   plugboard master-key show    (<base64-keyset> | --file <path>)
            rotate adds a new primary key and keeps the old ones; retire removes a non-primary key.
            With --file the file is rewritten in place; otherwise the new keyset is printed.""";

    private MasterKeyCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                err.println(USAGE);
                return 2;
            }
            switch (args[0]) {
                case "generate" -> out.println(MasterKeys.encode(MasterKeys.generate()));
                case "rotate" -> write(args, 1, MasterKeys.withNewPrimary(read(args, 1)), out);
                case "retire" -> {
                    int keyIdIndex = args.length > 1 && args[1].equals("--file") ? 3 : 2;
                    if (args.length <= keyIdIndex) {
                        throw new IllegalArgumentException("retire needs a key id");
                    }
                    write(args, 1, MasterKeys.withoutKey(read(args, 1), Integer.parseInt(args[keyIdIndex])), out);
                }
                case "show" -> new SecretVault(read(args, 1)).keys().forEach(key -> out.println(
                        key.id() + (key.primary() ? " primary " : " ") + key.status()));
                default -> {
                    err.println(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("master-key: " + e.getMessage());
            return 1;
        }
    }

    private static KeysetHandle read(String[] args, int index) throws IOException {
        if (args.length <= index) {
            throw new IllegalArgumentException("a keyset (Base64) or --file <path> is required");
        }
        if (args[index].equals("--file")) {
            if (args.length <= index + 1) {
                throw new IllegalArgumentException("--file needs a path");
            }
            return MasterKeys.decode(Files.readString(Path.of(args[index + 1]), StandardCharsets.UTF_8));
        }
        return MasterKeys.decode(args[index]);
    }

    private static void write(String[] args, int index, KeysetHandle keyset, PrintStream out) throws IOException {
        if (args[index].equals("--file")) {
            Files.writeString(Path.of(args[index + 1]), MasterKeys.encode(keyset), StandardCharsets.UTF_8);
            out.println("rewrote " + args[index + 1] + "; primary key is now " + keyset.getPrimary().getId());
        } else {
            out.println(MasterKeys.encode(keyset));
        }
    }
}
