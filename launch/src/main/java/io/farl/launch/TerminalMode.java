package io.farl.launch;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The controlling terminal in raw mode (keys arrive one by one, unechoed) for keyboard teleoperation, restored on
 * close and at JVM exit. Uses {@code stty} on {@code /dev/tty}.
 */
final class TerminalMode implements AutoCloseable {
    private static final File TTY = new File("/dev/tty");
    private final String saved;
    private final Thread restoreAtExit;

    private TerminalMode(String saved) {
        this.saved = saved;
        this.restoreAtExit = new Thread(this::restore, "farl-tty-restore");
        Runtime.getRuntime().addShutdownHook(restoreAtExit);
    }

    /** Switches the terminal to raw input; refuses (bad input) without a terminal. */
    static TerminalMode raw() {
        if (System.console() == null || !TTY.canRead()) {
            throw new BadInputException("--teleop keyboard needs a terminal (stdin and stdout on a tty); use "
                    + "--teleop scripted in a script");
        }
        try {
            String saved = stty("-g").trim();
            stty("-icanon", "-echo", "min", "1", "time", "0");
            return new TerminalMode(saved);
        } catch (IOException e) {
            throw new BadInputException("cannot switch the terminal to raw input (stty): " + e.getMessage());
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private void restore() {
        try {
            stty(saved);
        } catch (IOException e) {
            System.err.println("farl: could not restore the terminal (run 'stty sane'): " + e.getMessage());
        }
    }

    private static String stty(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(TTY).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + ": " + out.trim());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
