package io.cccancel.sweep;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cccancel.DependencyFactory;
import io.cccancel.Json;
import io.cccancel.cloudcontrol.CloudControl;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.cloudcontrol.SdkCloudControl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The sweep workflow's two steps in the function's jar, chosen by {@code Action}:
 * <ul>
 * <li>{@code "ListStaleResourceRequests"}: one page of in-flight requests matching the sweep's filters. Input
 * {@code {"Action", "MinAgeMinutes": 60, "Operations": ["CREATE"], "TypeNames": [...], "TypeNamePrefixes": [...],
 * "NextToken": "..."}} (all but Action optional; DryRun and MaxConcurrency, which the workflow checks and uses, may come
 * along, and so may a parent's AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID; any other field is refused). Output
 * {@code {"Requests": [{"RequestToken", "TypeName", "Operation", "OperationStatus", "EventTime"}],
 * "NextToken": "..."}}, NextToken omitted on the last page. Every field is bounded by the API's patterns, so a page
 * stays under 50 KB; Identifier (up to 1,024 characters of anything, six bytes each once escaped) and ResourceModel
 * are never returned.</li>
 * <li>{@code "TallyOutcomes"}: {@code {"Action", "DryRun": false, "Counts": {...}, "Results": [...]}} from the Map
 * over a page (in a dry run, the page's listed requests), to
 * {@code {"Counts": {...}, "Outcomes": [{"RequestToken", "Outcome", "Detail"}]}} ({@link SweepOutcomes}).</li>
 * </ul>
 */
public final class SweepHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SweepHandler.class);

    private static final class Default {
        static final DependencyFactory.Timeouts TIMEOUTS = DependencyFactory.Timeouts.fromEnvironment();
        static final CloudControl CLOUD_CONTROL = new SdkCloudControl(DependencyFactory.cloudControlClient(TIMEOUTS));
    }

    /**
     * Every field a listing's input may hold: the sweep's input as the workflow passes it on, and the page. Any other
     * is refused, naming it: a misspelled filter ({@code "Operation"} for {@code "Operations"}) left out would widen
     * the sweep to every request it was meant to spare, and a cancel cannot be undone. The one field from outside:
     * {@code AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID}, which AWS has a parent workflow pass to link the executions
     * it starts (this sweep passes it to its own children), so a sweep may be nested too.
     */
    public static final List<String> INPUT_FIELDS = List.of("MinAgeMinutes", "Operations", "TypeNames", "TypeNamePrefixes",
            "DryRun", "MaxConcurrency");
    static final List<String> LISTING_FIELDS = Stream.concat(INPUT_FIELDS.stream(),
            Stream.of("Action", "NextToken", "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID")).toList();

    private final StaleRequestLister lister;

    public SweepHandler() {
        this(Default.CLOUD_CONTROL, Clock.systemUTC(), Default.TIMEOUTS.call());
    }

    /** For tests: the call budget is the one the environment's settings would give the client. */
    public SweepHandler(CloudControl cloudControl, Clock clock) {
        this(cloudControl, clock, DependencyFactory.Timeouts.fromEnvironment().call());
    }

    /** @param callBudget the longest one call of {@code cloudControl} may take: the timeout it was built with */
    private SweepHandler(CloudControl cloudControl, Clock clock, Duration callBudget) {
        this.lister = new StaleRequestLister(cloudControl, clock, callBudget);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = Json.readBounded(input, Json.MAX_EVENT_BYTES);
        String response = PowertoolsLogging.withLogging(context, () -> {
            Map<String, JsonNode> fields = Json.parseObject(event, Json.MAX_EVENT_BYTES, "The sweep input",
                    "expected an object with Action and the sweep's optional fields", SweepFilter::invalid);
            JsonNode action = fields.get("Action");
            String name = action != null && action.isString() ? action.asString() : null;
            if ("ListStaleResourceRequests".equals(name)) {
                return listPage(fields, Duration.ofMillis(context.getRemainingTimeInMillis()));
            }
            if ("TallyOutcomes".equals(name)) {
                return tally(fields);
            }
            throw SweepFilter.invalid("Action must be \"ListStaleResourceRequests\" or \"TallyOutcomes\", got "
                    + (action == null ? "nothing" : action.isString() ? "'" + name + "'" : Json.typeOf(action)));
        });
        output.write(response.getBytes(StandardCharsets.UTF_8));
    }

    private String listPage(Map<String, JsonNode> fields, Duration timeLeft) {
        for (String field : fields.keySet()) {
            if (!LISTING_FIELDS.contains(field)) {
                throw SweepFilter.invalid("'" + field + "' is not a field of the sweep's input, which takes "
                        + String.join(", ", INPUT_FIELDS) + ": a misspelled filter would widen the sweep, so"
                        + " nothing is listed or cancelled");
            }
        }
        SweepFilter filter = SweepFilter.from(fields);
        StaleRequestLister.Page page = lister.listPage(filter, nextToken(fields.get("NextToken")),
                StaleRequestLister.MAX_PAGE_SIZE, timeLeft);
        LOG.info("Listed {} matching in-flight requests from {} API pages; more pages: {}",
                page.Requests().size(), page.ApiPagesRead(), page.NextToken() != null);
        return toJson(page);
    }

    private static String tally(Map<String, JsonNode> fields) {
        JsonNode counts = fields.get("Counts");
        JsonNode results = fields.get("Results");
        JsonNode dryRun = fields.get("DryRun");
        if (dryRun != null && !dryRun.isNull() && !dryRun.isBoolean()) {
            throw SweepFilter.invalid("DryRun must be true or false, got " + Json.typeOf(dryRun));
        }
        if (counts != null && !counts.isNull() && !counts.isObject()) {
            throw SweepFilter.invalid("Counts must be an object of outcome counts, got " + Json.typeOf(counts));
        }
        if (results == null || !results.isArray()) {
            throw SweepFilter.invalid("Results must be an array of the page's results, got "
                    + (results == null ? "nothing" : Json.typeOf(results)));
        }
        String tally = SweepOutcomes.tally(counts == null || counts.isNull() ? null : counts.asObject(),
                results.asArray(), dryRun != null && dryRun.isBoolean() && dryRun.asBoolean());
        LOG.info("Tallied {} results", results.asArray().size());
        return tally;
    }

    private static String nextToken(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString() || node.asString().isEmpty() || node.asString().length() > 2048) {
            throw SweepFilter.invalid("NextToken must be the string a previous page returned (1 to 2048 characters)");
        }
        return node.asString();
    }

    static String toJson(StaleRequestLister.Page page) {
        StringBuilder requests = new StringBuilder("[");
        for (ProgressEvent e : page.Requests()) {
            if (requests.length() > 1) {
                requests.append(',');
            }
            requests.append(new Json.Obj()
                    .field("RequestToken", e.RequestToken())
                    .field("TypeName", e.TypeName())
                    .field("Operation", e.Operation())
                    .field("OperationStatus", e.OperationStatus())
                    .field("EventTime", Json.timestamp(e.EventTime()))
                    .close());
        }
        return new Json.Obj().raw("Requests", requests.append(']').toString())
                .field("NextToken", page.NextToken())
                .close();
    }
}
