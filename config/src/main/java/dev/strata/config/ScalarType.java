package dev.strata.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The scalar forms a configuration value can take, each with its name and its parser. */
enum ScalarType {
    BOOLEAN("true or false"),
    WHOLE_NUMBER("a whole number"),
    NUMBER("a number"),
    STRING("a string"),
    PATH("a path"),
    URL("a URL"),
    NATS_URL("a NATS URL"),
    DURATION("a duration"),
    SIZE("a size"),
    LISTEN_ADDRESS("a listen address"),
    NODE_NAME("a node name"),
    SITE_NAME("a site name"),
    HOST("a host name"),
    NETWORK("a network"),
    QUERY_PARAM("a query parameter name"),
    BALANCER("a balancer name"),
    LOG_KIND("a purge log kind"),
    STREAM_NAME("a stream name"),
    ACCESS_LOG_FORMAT("an access log format"),
    MEDIA_RANGE("a media type"),
    WAF_MODE("a WAF mode"),
    METHOD("an HTTP method"),
    RULE_ID("a rule id"),
    WAF_TARGET("a WAF rule target"),
    REGEX("a regular expression"),
    LIMIT_NAME("a rate limit name"),
    LIMIT_KEY("a rate limit key"),
    PATH_PREFIX("a path prefix");

    private final String what;

    ScalarType(String what) {
        this.what = what;
    }

    /**
     * Whether values of this type are written as a map of keys: records, except the value types
     * ({@link ByteSize}, {@link ListenAddress}) written as one scalar.
     */
    static boolean isMap(Class<?> type) {
        return type.isRecord() && forType(type) == null;
    }

    /** The form a record component of this Java type is written in. */
    static ScalarType of(Class<?> type) {
        ScalarType form = forType(type);
        if (form == null) {
            throw new IllegalStateException("no configuration form for " + type.getName());
        }
        return form;
    }

    private static @Nullable ScalarType forType(Class<?> type) {
        if (type == boolean.class) {
            return BOOLEAN;
        } else if (type == int.class) {
            return WHOLE_NUMBER;
        } else if (type == double.class) {
            return NUMBER;
        } else if (type == String.class) {
            return STRING;
        } else if (type == Path.class) {
            return PATH;
        } else if (type == URI.class) {
            return URL;
        } else if (type == Duration.class) {
            return DURATION;
        } else if (type == ByteSize.class) {
            return SIZE;
        } else if (type == ListenAddress.class) {
            return LISTEN_ADDRESS;
        }
        return null;
    }

    /** What a value of this form is called in "expected X, got Y". */
    String what() {
        return what;
    }

    /**
     * Parses a scalar's text.
     *
     * @throws IllegalArgumentException whose message names the text and what was expected
     */
    Object parse(String text) {
        return switch (this) {
            case BOOLEAN -> Scalars.parseBoolean(text);
            case WHOLE_NUMBER -> Scalars.parseInt(text);
            case NUMBER -> Scalars.parseDouble(text);
            case STRING -> text;
            case PATH -> Scalars.parsePath(text);
            case URL -> Scalars.parseUrl(text);
            case NATS_URL -> Scalars.parseNatsUrl(text);
            case DURATION -> Durations.parse(text);
            case SIZE -> ByteSize.parse(text);
            case LISTEN_ADDRESS -> ListenAddress.parse(text);
            case NODE_NAME -> Scalars.parseName(text, "a node name");
            case SITE_NAME -> Scalars.parseName(text, "a site name");
            case HOST -> Scalars.parseHost(text);
            case NETWORK -> Scalars.parseNetwork(text);
            case QUERY_PARAM -> Scalars.parseQueryParam(text);
            case BALANCER -> Scalars.parseBalancer(text);
            case LOG_KIND -> Scalars.parseLogKind(text);
            case STREAM_NAME -> Scalars.parseStreamName(text);
            case ACCESS_LOG_FORMAT -> Scalars.parseAccessLogFormat(text);
            case MEDIA_RANGE -> MediaRanges.parse(text);
            case WAF_MODE -> Scalars.parseWafMode(text);
            case METHOD -> Scalars.parseMethod(text);
            case RULE_ID -> Scalars.parseName(text, "a rule id");
            case WAF_TARGET -> Scalars.parseWafTarget(text);
            case REGEX -> Scalars.parseRegex(text);
            case LIMIT_NAME -> Scalars.parseName(text, "a rate limit name");
            case LIMIT_KEY -> Scalars.parseLimitKey(text);
            case PATH_PREFIX -> Scalars.parsePathPrefix(text);
        };
    }
}
