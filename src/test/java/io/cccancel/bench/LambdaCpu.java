package io.cccancel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Lambda's CPU, modelled for one function JVM with a CFS quota on its own cgroup (needs root). Two facts from AWS:
 * an on-demand init runs on a full vCPU, not throttled (Serverless Land, "Effectively running Java on Serverless":
 * "On-demand Lambda functions use a full vCPU (non-throttled) but is limited to 10 seconds during its initialization
 * phase"); invokes get CPU in proportion to memory, one vCPU at 1,769 MB (Lambda's guide, "Configure Lambda function
 * memory"). So the JVM starts under a quota of one CPU, and when the runtime asks for its first event the quota drops
 * to MemorySize / 1,769 of one.
 *
 * <p>How Lambda enforces the share (its period, any burst) is not public; this is the kernel's CFS quota over its
 * default 100 ms period. The JVM is told the machine's CPU count, so it sizes its threads as it does in a row without
 * the model, and only the CPU time differs.
 */
final class LambdaCpu implements AutoCloseable {

    static final int ONE_VCPU_MB = 1769;
    static final long PERIOD_US = 100_000;

    private static final Path V1 = Path.of("/sys/fs/cgroup/cpu");
    private static final Path V2 = Path.of("/sys/fs/cgroup");

    private final Path group;
    private final boolean v2;
    private final int memoryMb;

    private LambdaCpu(Path group, boolean v2, int memoryMb) {
        this.group = group;
        this.v2 = v2;
        this.memoryMb = memoryMb;
    }

    /** Why the model cannot run here, if it cannot. */
    static Optional<String> unavailable() {
        if (v1Available() || v2Available()) {
            return Optional.empty();
        }
        return Optional.of("Lambda's CPU model needs root and the cgroup cpu controller (v1 at " + V1
                + ", or v2 with cpu in " + V2.resolve("cgroup.controllers") + ")");
    }

    private static boolean v1Available() {
        return Files.isWritable(V1.resolve("cpu.cfs_quota_us"));
    }

    private static boolean v2Available() {
        try {
            return Files.isWritable(V2.resolve("cgroup.subtree_control"))
                    && Files.readString(V2.resolve("cgroup.controllers")).contains("cpu");
        } catch (IOException e) {
            return false;
        }
    }

    /** A fresh cgroup for one JVM, at one full CPU (init). */
    static LambdaCpu create(String name, int memoryMb) throws IOException {
        boolean v2 = !v1Available();
        if (v2) {
            Files.writeString(V2.resolve("cgroup.subtree_control"), "+cpu");
        }
        Path group = (v2 ? V2 : V1).resolve(name);
        if (Files.isDirectory(group)) {
            Files.delete(group);
        }
        Files.createDirectory(group);
        LambdaCpu cpu = new LambdaCpu(group, v2, memoryMb);
        cpu.quota(Math.max(1.0, invokeShare(memoryMb)));
        return cpu;
    }

    /** Invokes: MemorySize / 1,769 of a vCPU. */
    static double invokeShare(int memoryMb) {
        return memoryMb / (double) ONE_VCPU_MB;
    }

    /** The runtime has asked for its first event: init is over, and from now on the function runs at its share. */
    void invokePhase() throws IOException {
        quota(invokeShare(memoryMb));
    }

    /**
     * The command, started inside the cgroup: a shell joins it and execs the command, so the JVM keeps the shell's
     * pid and no thread of it ever runs outside the quota. The JVM sees the machine's CPU count, as without the model.
     */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                group.resolve("cgroup.procs").toString()));
        wrapped.add(command.get(0));
        wrapped.add("-XX:ActiveProcessorCount=" + Runtime.getRuntime().availableProcessors());
        wrapped.addAll(command.subList(1, command.size()));
        return wrapped;
    }

    private void quota(double cpus) throws IOException {
        long quotaUs = Math.round(PERIOD_US * cpus);
        if (v2) {
            Files.writeString(group.resolve("cpu.max"), quotaUs + " " + PERIOD_US);
        } else {
            Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
            Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quotaUs));
        }
    }

    /** The CPU the model gives: what a modelled figure depends on, so a report line can name it. */
    static String shares(int memoryMb) {
        return String.format(Locale.ROOT, "init at 1 CPU, invokes at %d/%d = %.3f of a CPU",
                memoryMb, ONE_VCPU_MB, invokeShare(memoryMb));
    }

    static String describe(int memoryMb) {
        return shares(memoryMb) + String.format(Locale.ROOT, " (CFS quota, %d ms period)", PERIOD_US / 1000);
    }

    /** After the JVM is gone: an empty cgroup can be removed. */
    @Override
    public void close() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(group);
                return;
            } catch (IOException busy) {
                if (attempt == 50) {
                    throw busy;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
            }
        }
    }
}
