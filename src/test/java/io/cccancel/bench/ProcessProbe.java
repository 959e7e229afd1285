package io.cccancel.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a running JVM's footprint from the outside, without attaching to it (an attach would load classes and
 * start threads in the process being measured): peak RSS from /proc, loaded classes from its hsperfdata file.
 */
final class ProcessProbe {

    private ProcessProbe() {
    }

    /** VmHWM, the peak resident set size, in KiB. */
    static long peakRssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no VmHWM in /proc/" + pid + "/status");
    }

    /**
     * Classes the JVM has loaded so far (java.cls.loadedClasses counts classes parsed from class files,
     * java.cls.sharedLoadedClasses those mapped from a CDS archive; unloaded ones are subtracted).
     */
    static long loadedClasses(long pid) throws IOException {
        Map<String, Long> counters = perfCounters(pid);
        return counters.getOrDefault("java.cls.loadedClasses", 0L)
                + counters.getOrDefault("java.cls.sharedLoadedClasses", 0L)
                - counters.getOrDefault("java.cls.unloadedClasses", 0L)
                - counters.getOrDefault("java.cls.sharedUnloadedClasses", 0L);
    }

    /** The long counters of HotSpot's perf data file (/tmp/hsperfdata_USER/PID, format of perfMemory.hpp). */
    static Map<String, Long> perfCounters(long pid) throws IOException {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + System.getProperty("user.name"),
                Long.toString(pid));
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
        if (buffer.getInt(0) != 0xcafec0c0) {
            throw new IOException("not a hsperfdata file: " + file);
        }
        buffer.order(buffer.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int entryOffset = buffer.getInt(24);
        int entries = buffer.getInt(28);
        Map<String, Long> counters = new HashMap<>();
        int at = entryOffset;
        for (int i = 0; i < entries; i++) {
            int length = buffer.getInt(at);
            int nameOffset = buffer.getInt(at + 4);
            int vectorLength = buffer.getInt(at + 8);
            byte type = buffer.get(at + 12);
            int dataOffset = buffer.getInt(at + 16);
            if (type == 'J' && vectorLength == 0) {
                int end = at + nameOffset;
                while (buffer.get(end) != 0) {
                    end++;
                }
                String name = new String(buffer.array(), at + nameOffset, end - at - nameOffset,
                        StandardCharsets.US_ASCII);
                counters.put(name, buffer.getLong(at + dataOffset));
            }
            at += length;
        }
        return counters;
    }
}
