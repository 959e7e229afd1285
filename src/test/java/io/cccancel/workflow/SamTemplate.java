package io.cccancel.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * template.yaml as data, read the way CloudFormation reads it: a short-form tag becomes its long form
 * ({@code !Ref X} is {@code {"Ref": "X"}}, {@code !GetAtt A.B} is {@code {"Fn::GetAtt": ["A", "B"]}},
 * {@code !Sub s} is {@code {"Fn::Sub": "s"}}). Nothing is resolved except in {@link #sampleSubstitutions}.
 */
public final class SamTemplate {

    /** The template at the project root (the working directory of Maven and ./dev). */
    public static final Path PATH = Path.of("template.yaml");

    /** Made-up but well-formed deployment values, as CloudFormation would resolve them. */
    static final String SAMPLE_REGION = "us-east-1";
    static final String SAMPLE_ACCOUNT = "123456789012";
    static final String SAMPLE_STACK = "cloudcontrol-cancel";

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    public static SamTemplate load() {
        return load(PATH);
    }

    public static SamTemplate load(Path path) {
        try {
            return parse(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SamTemplate parse(String yaml) {
        return new SamTemplate(map(new Yaml(new CloudFormationTags()).load(yaml)));
    }

    public Map<String, Object> parameters() {
        return map(root.getOrDefault("Parameters", Map.of()));
    }

    public Map<String, Object> conditions() {
        return map(root.getOrDefault("Conditions", Map.of()));
    }

    public Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    public Map<String, Object> resource(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return map(resource);
    }

    public String type(String logicalId) {
        return (String) resource(logicalId).get("Type");
    }

    public Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).getOrDefault("Properties", Map.of()));
    }

    /** A function's Environment Variables, as written (values may be intrinsics); empty when it sets none. */
    public Map<String, Object> environmentVariables(String function) {
        Object environment = properties(function).get("Environment");
        return environment == null ? Map.of() : map(map(environment).getOrDefault("Variables", Map.of()));
    }

    /**
     * The class a function's Handler names, whichever form it takes: {@code Class} or {@code Class::method}. (The
     * rest, {@code ::method} or nothing, is {@code handler.substring(handlerClass(handler).length())}.)
     */
    public static String handlerClass(String handler) {
        int method = handler.indexOf("::");
        return method < 0 ? handler : handler.substring(0, method);
    }

    /** The logical ids of the resources of one type, in template order. */
    public List<String> resourcesOfType(String type) {
        return resources().keySet().stream().filter(id -> type.equals(type(id))).toList();
    }

    /** The state machines' logical ids. */
    public List<String> stateMachines() {
        return resourcesOfType("AWS::Serverless::StateMachine");
    }

    /** A state machine's definition file (its DefinitionUri, relative to the template). */
    public Path definitionFile(String stateMachine) {
        return PATH.resolveSibling((String) properties(stateMachine).get("DefinitionUri"));
    }

    /** A state machine's DefinitionSubstitutions, unresolved ({@code {"Ref": ...}} and so on). */
    public Map<String, Object> definitionSubstitutions(String stateMachine) {
        return map(properties(stateMachine).getOrDefault("DefinitionSubstitutions", Map.of()));
    }

    /** The logical id of the IAM role a function or state machine runs with ({@code Role: !GetAtt X.Arn}). */
    public String roleOf(String logicalId) {
        Object role = properties(logicalId).get("Role");
        if (role instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> target
                && "Arn".equals(target.get(1))) {
            return (String) target.get(0);
        }
        throw new IllegalArgumentException(logicalId + " has no Role: !GetAtt <role>.Arn");
    }

    /** Every Allow statement of a role's inline policies. */
    public List<Map<String, Object>> allowStatements(String role) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : list(properties(role).getOrDefault("Policies", List.of()))) {
            Map<String, Object> document = map(map(policy).get("PolicyDocument"));
            for (Object statement : list(document.get("Statement"))) {
                if ("Allow".equals(map(statement).get("Effect"))) {
                    statements.add(map(statement));
                }
            }
        }
        return statements;
    }

    /**
     * The DefinitionSubstitutions with realistic values, as CloudFormation would insert them: a parameter gives its
     * Default, a function's alias its ARN. Fails on a value it cannot stand in for: give it a sample here.
     */
    public Map<String, String> sampleSubstitutions(String stateMachine) {
        Map<String, String> samples = new LinkedHashMap<>();
        definitionSubstitutions(stateMachine).forEach((name, value) -> samples.put(name, sample(value)));
        return samples;
    }

    private String sample(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        if (value instanceof Map<?, ?> ref && ref.get("Ref") instanceof String name) {
            if (parameters().containsKey(name)) {
                return String.valueOf(map(parameters().get(name)).get("Default"));
            }
            if (resources().containsKey(name) && "AWS::Serverless::StateMachine".equals(type(name))) {
                return "arn:aws:states:%s:%s:stateMachine:%s".formatted(SAMPLE_REGION, SAMPLE_ACCOUNT, name);
            }
            if (name.endsWith(".Alias")) {
                String function = name.substring(0, name.length() - ".Alias".length());
                String alias = (String) properties(function).get("AutoPublishAlias");
                return "arn:aws:lambda:%s:%s:function:%s-%s:%s"
                        .formatted(SAMPLE_REGION, SAMPLE_ACCOUNT, SAMPLE_STACK, function, alias);
            }
        }
        throw new IllegalArgumentException("No realistic sample for the DefinitionSubstitutions value " + value
                + ": teach SamTemplate.sample how CloudFormation resolves it");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    /** A string or a list of strings (IAM's Action and Resource take either), as a list. */
    static List<Object> oneOrMany(Object value) {
        return value instanceof List<?> ? list(value) : List.of(value);
    }

    /** The YAML short forms of CloudFormation's intrinsic functions, constructed as their long forms. */
    private static final class CloudFormationTags extends SafeConstructor {
        CloudFormationTags() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String function = node.getTag().getValue().substring(1);
                    Object argument = switch (node) {
                        case ScalarNode scalar -> constructScalar(scalar);
                        case SequenceNode sequence -> constructSequence(sequence);
                        case MappingNode mapping -> constructMapping(mapping);
                        default -> throw new IllegalArgumentException("Unexpected YAML node " + node);
                    };
                    if (function.equals("Ref")) {
                        return Map.of("Ref", argument);
                    }
                    if (function.equals("GetAtt") && argument instanceof String dotted) {
                        argument = List.of(dotted.substring(0, dotted.indexOf('.')),
                                dotted.substring(dotted.indexOf('.') + 1));
                    }
                    return Map.of("Fn::" + function, argument);
                }
            });
        }
    }
}
