package io.cccancel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SnapStart's snapshot and restore, taken for real on this machine: CRIU checkpoints the runtime's process at the
 * snapshot point (the runtime waiting in restore/next, after the beforeCheckpoint hooks ran) and restores it from the
 * images. It stands in for Lambda's microVM snapshot, which needs Firecracker; what it cannot show is Lambda's own
 * restore path (snapshot chunks fetched from a cache and paged in lazily). `./dev bench coldstart` finds or fetches a
 * CRIU 4.2+ (CCCANCEL_CRIU); without one the CRIU-restored rows are skipped with the reason (CCCANCEL_CRIU_MISSING).
 *
 * @param criu    the criu command, null if there is none
 * @param missing why there is none
 * @param runs    where CRIU's own output goes, beside the runtime's
 */
record Checkpoints(String criu, String missing, Path runs) {

    static Checkpoints fromEnvironment(Path runs) {
        String criu = System.getenv("CCCANCEL_CRIU");
        String missing = System.getenv("CCCANCEL_CRIU_MISSING");
        return new Checkpoints(criu == null || criu.isBlank() ? null : criu,
                missing == null || missing.isBlank() ? "no CRIU (run through ./dev bench coldstart)" : missing, runs);
    }

    boolean available() {
        return criu != null;
    }

    /**
     * Checkpoints the process into {@code images}; CRIU then kills it, and it is reaped here so that its pid is free
     * for the restore. Established TCP connections (to this benchmark's Runtime API and emulator) are checkpointed
     * with it; no network lock is needed, as both peers are this benchmark's own servers and wait on it.
     */
    void dump(Process process, Path images) throws IOException, InterruptedException {
        Files.createDirectories(images);
        run(List.of("dump", "-t", Long.toString(process.pid()), "-D", images.toString(), "--tcp-established",
                "--network-lock", "skip", "--ghost-limit", "256M", "-o", "dump.log"), images, "dump.log");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " still runs after its checkpoint");
        }
    }

    /**
     * Restores the process from {@code images} and returns it, running (CRIU detaches from it). The images are
     * deleted afterwards: each is about the size of the process's memory.
     */
    ProcessHandle restore(long pid, Path images) throws IOException, InterruptedException {
        run(List.of("restore", "-D", images.toString(), "--tcp-established", "--restore-detached", "-o",
                "restore.log"), images, "restore.log");
        ProcessHandle restored = ProcessHandle.of(pid).orElseThrow(
                () -> new IllegalStateException("no process " + pid + " after the restore"));
        try (var files = Files.list(images)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().endsWith(".img")) {
                    Files.delete(file);
                }
            }
        }
        return restored;
    }

    private void run(List<String> arguments, Path images, String log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(criu);
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(runs.resolve(images.getFileName() + "." + arguments.get(0) + ".out").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            Path logFile = images.resolve(log);
            List<String> lines = Files.exists(logFile) ? Files.readAllLines(logFile) : List.of();
            throw new IllegalStateException("criu " + arguments.get(0) + " failed; " + logFile + " ends: "
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
    }
}
