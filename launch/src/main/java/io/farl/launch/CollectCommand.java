package io.farl.launch;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "collect", mixinStandardHelpOptions = true, description = "TODO")
final class CollectCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("collect is not implemented yet");
    }
}
