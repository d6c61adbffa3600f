package dev.cairn.cli;

import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Creates a writer key: the only authority over the tables it publishes. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Create an Ed25519 writer key file (owner-only permissions).")
final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Where to write the secret key; refuses to overwrite an existing file.")
  Path out;

  @Override
  public Integer call() {
    SigningKey key = SigningKey.generate(new SecureRandom());
    KeyFiles.writeSecretKey(out, key);
    System.out.println("wrote " + out + " (keep it secret: it signs your tables)");
    System.out.println("public key  " + key.publicKey().toHex());
    System.out.println("fingerprint " + key.publicKey().fingerprint());
    return 0;
  }
}
