package io.parley.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.parley.identity.KeyFiles;
import io.parley.node.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "whoami", mixinStandardHelpOptions = true, description = "Show a node's origin, verifier key and key fingerprint.")
final class WhoamiCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Node directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        NodeConfig cfg = NodeConfig.load(dir);
        var key = KeyFiles.read(dir.resolve(NodeConfig.KEY_FILE)).verifierKey();
        var out = spec.commandLine().getOut();
        out.println("origin:       " + cfg.origin());
        out.println("verifier key: " + key.encoded());
        out.println("fingerprint:  " + key.fingerprint());
        return 0;
    }
}
