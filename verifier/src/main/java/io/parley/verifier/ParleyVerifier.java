package io.parley.verifier;

import java.io.PrintWriter;

/**
 * Entry point of the standalone verifier jar: {@code java -jar parley-verifier.jar BUNDLE} runs {@code parley verify}
 * with nothing but a JDK, for a third party who trusts neither side and runs no Parley node.
 */
public final class ParleyVerifier {
    private ParleyVerifier() {}

    public static void main(String[] args) {
        System.exit(Commands.run(new VerifyCommand(), args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
