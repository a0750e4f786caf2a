package dev.strata.proxy.waf;

import static java.util.Objects.requireNonNull;

import dev.strata.config.BuiltInWafRules;
import dev.strata.config.WafConfig;
import dev.strata.config.WafRuleConfig;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A compiled web application firewall: {@link WafConfig} with its networks parsed, its patterns
 * compiled and its disabled rules left out, judging one request at a time ({@link #check}).
 *
 * <p>A request is judged in three steps, each ending the judgement when it decides:
 *
 * <ol>
 *   <li><b>Networks.</b> The longest prefix among {@code allow} and {@code deny} holding the client
 *       address decides ({@code deny} on a tie): a denied client is refused (rule {@value
 *       #DENY_RULE}, in detect mode too), an allowed one skips every rule.
 *   <li><b>Protocol checks</b> ({@link BuiltInWafRules#PROTOCOL_CHECKS}): the first that fails
 *       refuses the request, whatever the threshold. Malformed HTTP that Undertow's parser refuses
 *       itself with 400 (a raw NUL, space or backslash in the target, a malformed escape in the
 *       path or the query, two {@code Content-Length}s, {@code Content-Length} with {@code
 *       Transfer-Encoding}) never reaches here.
 *   <li><b>Signatures</b> (the built-in ones, then {@code waf.rules}): every rule whose pattern is
 *       found in one of its targets adds its score once; a request whose score reaches {@code
 *       anomaly-threshold} is refused, naming every rule that matched (OWASP CRS's anomaly scoring:
 *       several weak signs add up, one strong sign suffices).
 * </ol>
 *
 * <p>Inputs are percent-decoded once (protocol checks of the path also twice, against
 * double encoding) and bounded by the admission limits on the URI and headers. Each pattern match
 * has a budget of steps linear in its input ({@link BoundedText}); a match that runs out of it counts
 * as found, so a pattern that backtracks badly costs a bounded time and fails closed. A check
 * allocates nothing for a request without escapes that matches nothing: each thread reuses its
 * decoder, its matchers and its input lists. One pass over each value a rule reads notes its
 * characters ({@link Inputs}): whether it needs decoding, whether it holds a NUL, and what a rule's
 * requirement asks. A built-in signature skips a value that lacks what
 * any of its matches holds ({@link BuiltInWafRules#REQUIRES}: most values hold none of {@code < '
 * " ( ; $} and none of the rule's words), so an ordinary request costs next to no regular
 * expression searches; an operator's rule searches every value of its targets.
 *
 * <p>Immutable and thread-safe; {@link #OFF} judges nothing.
 */
public final class Waf {
    /** The rule id of a refusal by {@code waf.deny}. */
    public static final String DENY_RULE = "network.deny";

    /** A WAF that is not enabled: every request passes. */
    public static final Waf OFF = new Waf(WafConfig.defaults());

    private static final int PATH = 0;
    private static final int QUERY = 1;
    private static final int METHOD = 2;
    private static final int HOST = 3;
    private static final int USER_AGENT = 4;
    private static final int HEADERS = 5;
    private static final int FIRST_HEADER = 6;

    private final WafConfig config;
    private final CidrSet allow;
    private final CidrSet deny;
    private final boolean[] checks = new boolean[ProtocolCheck.values().length];
    private final WafVerdict[] protocolVerdicts = new WafVerdict[ProtocolCheck.values().length];
    private final WafVerdict denied;
    private final List<String> allowedMethods;
    private final List<Signature> signatures;
    /** The headers of {@code header:NAME} targets; target {@code FIRST_HEADER + i} is {@code headers[i]}. */
    private final HttpString[] headerTargets;

    private final List<String> ruleIds;

    private final ThreadLocal<Scratch> scratch;

    /** One compiled signature rule; a value that does not meet its requirement is skipped. */
    private record Signature(String id, int score, Pattern pattern, int[] targets, Requirement requirement) {}

    private Waf(WafConfig config) {
        this.config = requireNonNull(config, "config");
        this.allow = CidrSet.of(config.allow());
        this.deny = CidrSet.of(config.deny());
        this.denied = new WafVerdict(WafVerdict.Kind.NETWORK, List.of(DENY_RULE), 0, 0, true);
        List<String> ids = new ArrayList<>();
        ids.add(DENY_RULE);
        for (ProtocolCheck check : ProtocolCheck.values()) {
            boolean on = !config.disabledRules().contains(check.id());
            checks[check.ordinal()] = on;
            protocolVerdicts[check.ordinal()] =
                    new WafVerdict(WafVerdict.Kind.PROTOCOL, List.of(check.id()), 0, 0, !config.detectOnly());
            if (on) {
                ids.add(check.id());
            }
        }
        this.allowedMethods = config.allowedMethods();
        List<String> headerNames = new ArrayList<>();
        List<Signature> compiled = new ArrayList<>();
        List<WafRuleConfig> all = new ArrayList<>(BuiltInWafRules.SIGNATURES);
        all.addAll(config.rules());
        all.removeIf(rule -> config.disabledRules().contains(rule.id()));
        for (WafRuleConfig rule : all) {
            int[] targets = new int[rule.targets().size()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = target(rule.targets().get(i), headerNames);
            }
            compiled.add(new Signature(
                    rule.id(), rule.score(), Pattern.compile(rule.pattern()), targets, Requirement.of(rule.id())));
            ids.add(rule.id());
        }
        this.signatures = List.copyOf(compiled);
        this.headerTargets = headerNames.stream().map(HttpString::new).toArray(HttpString[]::new);
        this.ruleIds = List.copyOf(ids);
        int targetCount = FIRST_HEADER + headerTargets.length;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(signatures, targetCount));
    }

    /** The target's index: a fixed one, or one per distinct header name (case-insensitive). */
    private static int target(String target, List<String> headerNames) {
        return switch (target) {
            case "path" -> PATH;
            case "query" -> QUERY;
            case "method" -> METHOD;
            case "host" -> HOST;
            case "user-agent" -> USER_AGENT;
            case "headers" -> HEADERS;
            default -> {
                String name =
                        target.substring(WafRuleConfig.HEADER_TARGET.length()).toLowerCase(Locale.ROOT);
                if (!headerNames.contains(name)) {
                    headerNames.add(name);
                }
                yield FIRST_HEADER + headerNames.indexOf(name);
            }
        };
    }

    /**
     * Compiles {@code config}: networks parsed, patterns compiled, disabled rules left out.
     *
     * @throws IllegalArgumentException when the configuration was not validated (a bad network or
     *     pattern); {@link dev.strata.config.ConfigLoader} rejects those with their line first
     */
    public static Waf compile(WafConfig config) {
        return config.equals(WafConfig.defaults()) ? OFF : new Waf(config);
    }

    /** The configuration this was compiled from. */
    public WafConfig config() {
        return config;
    }

    /** Whether requests are judged at all. */
    public boolean enabled() {
        return config.enabled();
    }

    /** The ids of every rule that can refuse a request: {@value #DENY_RULE}, the checks and signatures on. */
    public List<String> ruleIds() {
        return ruleIds;
    }

    /** The ids of every built-in rule, {@value #DENY_RULE} first: the rules any edge can name. */
    public static List<String> builtInRuleIds() {
        List<String> ids = new ArrayList<>();
        ids.add(DENY_RULE);
        ids.addAll(BuiltInWafRules.ids());
        return List.copyOf(ids);
    }

    /**
     * Judges one request. Cheap CPU work on bounded input: fit for the I/O thread.
     *
     * @param client the client's address, or null when unknown (networks are then not checked)
     * @param rawPath the request target's path as sent (no scheme or authority, no query)
     */
    public WafVerdict check(HttpServerExchange exchange, @Nullable InetAddress client, String rawPath) {
        if (client != null) {
            int allowed = allow.longestMatch(client);
            int refused = deny.longestMatch(client);
            if (refused >= 0 && refused >= allowed) {
                return denied;
            }
            if (allowed >= 0) {
                return WafVerdict.PASS;
            }
        }
        Scratch state = scratch.get();
        state.start(exchange, rawPath);
        try {
            ProtocolCheck failed = failedCheck(exchange, state);
            return failed != null ? protocolVerdicts[failed.ordinal()] : score(state);
        } finally {
            state.finish();
        }
    }

    private @Nullable ProtocolCheck failedCheck(HttpServerExchange exchange, Scratch state) {
        String method = exchange.getRequestMethod().toString();
        HeaderMap headers = exchange.getRequestHeaders();
        if (on(ProtocolCheck.METHOD) && !allowedMethods.contains(method)) {
            return ProtocolCheck.METHOD;
        }
        HeaderValues transferEncoding = headers.get(Headers.TRANSFER_ENCODING);
        if (on(ProtocolCheck.TRANSFER_ENCODING)
                && transferEncoding != null
                && !(transferEncoding.size() == 1
                        && transferEncoding.getFirst().trim().equalsIgnoreCase("chunked"))) {
            return ProtocolCheck.TRANSFER_ENCODING;
        }
        if (on(ProtocolCheck.BODY_ON_GET) && (method.equals("GET") || method.equals("HEAD"))) {
            String length = headers.getFirst(Headers.CONTENT_LENGTH);
            if (transferEncoding != null || (length != null && !length.trim().equals("0"))) {
                return ProtocolCheck.BODY_ON_GET;
            }
        }
        String path = state.path();
        String query = state.query();
        int pathProblems = state.pathProblems;
        int queryProblems = state.queryProblems;
        if (on(ProtocolCheck.INVALID_ENCODING) && ((pathProblems | queryProblems) & PercentDecoder.OVERLONG) != 0) {
            return ProtocolCheck.INVALID_ENCODING;
        }
        String pathTwice = path.indexOf('%') >= 0 ? state.decoder.decode(path, false) : path;
        if (on(ProtocolCheck.NUL_BYTE)
                && (pathTwice.indexOf('\0') >= 0
                        || query.indexOf('\0') >= 0
                        || (query.indexOf('%') >= 0
                                && state.decoder.decode(query, true).indexOf('\0') >= 0)
                        || state.inputs(HEADERS, this).holdsNul())) {
            return ProtocolCheck.NUL_BYTE;
        }
        if (on(ProtocolCheck.PATH_TRAVERSAL) && (hasDotDotSegment(path) || hasDotDotSegment(pathTwice))) {
            return ProtocolCheck.PATH_TRAVERSAL;
        }
        return null;
    }

    private boolean on(ProtocolCheck check) {
        return checks[check.ordinal()];
    }

    /**
     * Whether a segment of the decoded path, split at {@code /} or {@code \}, is {@code ..}, or
     * {@code ..;…} (a path parameter some servers strip before they resolve the path).
     */
    static boolean hasDotDotSegment(String path) {
        int from = path.indexOf("..");
        while (from >= 0) {
            boolean startsSegment = from == 0 || isSeparator(path.charAt(from - 1));
            int end = from + 2;
            boolean endsSegment = end == path.length() || isSeparator(path.charAt(end)) || path.charAt(end) == ';';
            if (startsSegment && endsSegment) {
                return true;
            }
            from = path.indexOf("..", from + 1);
        }
        return false;
    }

    private static boolean isSeparator(char c) {
        return c == '/' || c == '\\';
    }

    private WafVerdict score(Scratch state) {
        int score = 0;
        int matched = 0;
        for (int i = 0; i < signatures.size(); i++) {
            Signature signature = signatures.get(i);
            if (found(signature, state.matchers[i], state)) {
                score += signature.score();
                state.matched[matched++] = i;
            }
        }
        if (score < config.anomalyThreshold()) {
            return WafVerdict.PASS;
        }
        List<String> rules = new ArrayList<>(matched);
        for (int i = 0; i < matched; i++) {
            rules.add(signatures.get(state.matched[i]).id());
        }
        return new WafVerdict(WafVerdict.Kind.ANOMALY, rules, score, config.anomalyThreshold(), !config.detectOnly());
    }

    private boolean found(Signature signature, Matcher matcher, Scratch state) {
        for (int target : signature.targets()) {
            Inputs inputs = state.inputs(target, this);
            for (int i = 0; i < inputs.size(); i++) {
                if (!signature.requirement().metBy(inputs, i)) {
                    continue;
                }
                try {
                    if (matcher.reset(state.text.reset(inputs.get(i))).find()) {
                        return true;
                    }
                } catch (RuntimeException e) {
                    if (e != BoundedText.EXHAUSTED) {
                        throw e;
                    }
                    return true; // fail closed: a pattern this slow on this input is an attack on it
                }
            }
        }
        return false;
    }

    /** Fills {@code into} with the decoded values of {@code target} for the request being judged. */
    private void collect(int target, Scratch state, Inputs into) {
        HttpServerExchange exchange = state.exchange();
        HeaderMap headers = exchange.getRequestHeaders();
        switch (target) {
            case PATH -> into.addDecoded(state.path());
            case QUERY -> {
                if (!state.query().isEmpty()) {
                    into.addDecoded(state.query());
                }
            }
            case METHOD -> into.addDecoded(exchange.getRequestMethod().toString());
            case HOST -> addAll(headers.get(Headers.HOST), state, into);
            case USER_AGENT -> addAll(headers.get(Headers.USER_AGENT), state, into);
            case HEADERS -> {
                for (HeaderValues values : headers) {
                    addAll(values, state, into);
                }
            }
            default -> addAll(headers.get(headerTargets[target - FIRST_HEADER]), state, into);
        }
    }

    private static void addAll(@Nullable HeaderValues values, Scratch state, Inputs into) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            into.add(values.get(i), false, state.decoder);
        }
    }

    @Override
    public String toString() {
        return "waf(" + (enabled() ? config.mode() : "off") + ", " + signatures.size() + " signatures)";
    }

    /**
     * One thread's working state for the request it is judging: its decoder and matchers, and each
     * target's decoded values, collected when a rule first asks for them.
     */
    private static final class Scratch {
        final PercentDecoder decoder = new PercentDecoder();
        final BoundedText text = new BoundedText();
        final Matcher[] matchers;
        final int[] matched;
        private final Inputs[] inputs;
        private final boolean[] collected;
        private @Nullable HttpServerExchange exchange;
        private String path = "";
        private String query = "";
        int pathProblems;
        int queryProblems;

        Scratch(List<Signature> signatures, int targets) {
            matchers = new Matcher[signatures.size()];
            for (int i = 0; i < matchers.length; i++) {
                matchers[i] = signatures.get(i).pattern().matcher("");
            }
            matched = new int[signatures.size()];
            inputs = new Inputs[targets];
            for (int i = 0; i < targets; i++) {
                inputs[i] = new Inputs();
            }
            collected = new boolean[targets];
        }

        void start(HttpServerExchange request, String rawPath) {
            exchange = request;
            for (int i = 0; i < collected.length; i++) {
                if (collected[i]) {
                    inputs[i].clear();
                    collected[i] = false;
                }
            }
            path = decoder.decode(rawPath, false);
            pathProblems = decoder.problems();
            query = decoder.decode(request.getQueryString(), true);
            queryProblems = decoder.problems();
        }

        /** Lets go of the request: a thread's state must not keep its last exchange alive. */
        void finish() {
            exchange = null;
        }

        HttpServerExchange exchange() {
            return requireNonNull(exchange, "exchange");
        }

        String path() {
            return path;
        }

        String query() {
            return query;
        }

        Inputs inputs(int target, Waf waf) {
            Inputs values = inputs[target];
            if (!collected[target]) {
                waf.collect(target, this, values);
                collected[target] = true;
            }
            return values;
        }
    }
}
