package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.selector.BasicContextSelector;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The function's log template, {@code CancelJsonLayout.json}, is Powertools' own {@code LambdaJsonLayout.json} with
 * one change: Powertools' catch-all field, which logs every other MDC key, is replaced by the keys the function puts
 * in the MDC, each named. Powertools builds a list of its own field names once per MDC key per line to find the
 * others; the named keys skip that, and the lines stay what Powertools writes. A key the template does not name is
 * not logged, and a field Powertools adds to its layout in an upgrade is not logged until it is copied here: these
 * tests fail in both cases.
 */
class LogLayoutTest {

    @Test
    void keepsEveryFieldOfPowertoolsLayoutAsPowertoolsWritesIt() throws IOException {
        Map<String, JsonNode> ours = template("CancelJsonLayout.json");
        Map<String, JsonNode> powertools = template("LambdaJsonLayout.json");

        for (Map.Entry<String, JsonNode> field : powertools.entrySet()) {
            if (field.getKey().isEmpty()) {
                continue; // the catch-all, replaced by the named keys
            }
            JsonNode mine = ours.get(field.getKey());
            assertNotNull(mine, () -> "CancelJsonLayout.json lacks Powertools' field " + field.getKey());
            assertEquals(field.getValue().toString(), mine.toString(), "field " + field.getKey());
        }
        assertFalse(ours.containsKey(""), "the catch-all is what the template replaces");
    }

    @Test
    void namesExactlyTheKeysTheFunctionPutsInTheMdc() throws IOException {
        Map<String, JsonNode> ours = template("CancelJsonLayout.json");
        Set<String> named = new TreeSet<>();
        ours.forEach((name, field) -> {
            Map<String, JsonNode> resolver = field.asObject();
            if (resolver.containsKey("$resolver") && resolver.get("$resolver").asString().equals("mdc")) {
                assertEquals(name, resolver.get("key").asString(), "an MDC key is logged under its own name");
                named.add(name);
            }
        });
        assertEquals(new TreeSet<>(CancelService.LOG_KEYS), named);
    }

    @Test
    void writesTheSameLinesAsPowertoolsLayout() {
        // Powertools' fields as withLogging puts them in the MDC. Events: no MDC at all; only RequestToken of the
        // function's keys (a cancel that failed before Cloud Control answered); all four; all four and an exception.
        SortedArrayStringMap mdc = new SortedArrayStringMap();
        Map.of("cold_start", "false", "function_arn", "arn:aws:lambda:us-east-1:123456789012:function:f",
                "function_memory_size", "256", "function_name", "f", "function_request_id", "r-1",
                "function_version", "$LATEST", "service", "cloudcontrol-cancel",
                "xray_trace_id", "1-5759e988-bd862e3fe1be46a994272793").forEach(mdc::putValue);
        mdc.putValue("RequestToken", "4fc21ab3-ad4b-4d3b-b3b4-0f0b1e0d8f5a");
        SortedArrayStringMap all = new SortedArrayStringMap(mdc);
        Map.of("TypeName", "AWS::S3::Bucket", "Identifier", "b\"1", "OperationStatus", "CANCEL_IN_PROGRESS")
                .forEach(all::putValue);

        for (LogEvent event : List.of(event(Level.INFO, new SortedArrayStringMap(), null), event(Level.INFO, mdc, null),
                event(Level.INFO, all, null), event(Level.WARN, all, new IllegalStateException("boom")))) {
            assertEquals(line("LambdaJsonLayout.json", event), line("CancelJsonLayout.json", event));
        }
    }

    @Test
    void keepsOneLoggerContextSoNoInvokeWalksTheStackToFindIt() {
        // log4j2.component.properties, read from the class path as the function's artifact carries it.
        Log4jContextFactory factory = assertInstanceOf(Log4jContextFactory.class, LogManager.getFactory());
        assertInstanceOf(BasicContextSelector.class, factory.getSelector());
    }

    private static LogEvent event(Level level, SortedArrayStringMap mdc, Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName(CancelService.class.getName()).setLevel(level)
                .setMessage(new SimpleMessage("Cancel accepted by Cloud Control")).setContextData(mdc)
                .setThrown(thrown).setTimeMillis(1_795_000_000_123L).build();
    }

    private static String line(String template, LogEvent event) {
        return JsonTemplateLayout.newBuilder().setConfiguration(new DefaultConfiguration())
                .setEventTemplateUri("classpath:" + template).build().toSerializable(event);
    }

    private static Map<String, JsonNode> template(String resource) throws IOException {
        try (InputStream in = LogLayoutTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is on the class path");
            return JsonNode.parser().parse(in).asObject();
        }
    }
}
