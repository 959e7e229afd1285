package io.cccancel.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Lets a test read what the function prints (JSON logs, EMF metrics). Libraries such as the EMF logger keep the
 * System.out they first saw, so swapping System.out inside a test misses them depending on test order. This
 * listener (registered in META-INF/services) installs one forwarding stream before any test runs; a capture then
 * tees everything that reaches it.
 */
public final class StdoutCapture implements LauncherSessionListener {

    private static volatile ByteArrayOutputStream capture;
    private static volatile boolean installed;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        PrintStream original = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                ByteArrayOutputStream c = capture;
                if (c != null) {
                    c.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                ByteArrayOutputStream c = capture;
                if (c != null) {
                    c.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8));
        installed = true;
    }

    /** Runs the action and returns everything printed to stdout meanwhile (and still prints it). */
    public static synchronized String during(ThrowingRunnable action) throws Exception {
        install();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        capture = buffer;
        try {
            action.run();
        } finally {
            System.out.flush();
            capture = null;
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

}
