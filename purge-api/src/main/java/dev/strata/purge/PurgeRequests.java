package dev.strata.purge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.config.PurgeTokenConfig;
import dev.strata.config.SiteConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads and checks the body of {@code POST /v1/purge} for one token: exactly one of {@code urls},
 * {@code prefixes}, {@code tags} or {@code all: true}, optionally {@code site}, {@code host} (with
 * {@code all}) and {@code soft}. Every rejection names the field at fault: 400 for invalid input,
 * 403 for a target outside the token's sites. Stateless and thread-safe.
 */
final class PurgeRequests {
    private static final Set<String> FIELDS = Set.of("urls", "prefixes", "tags", "all", "site", "host", "soft");
    private static final List<String> KINDS = List.of("urls", "prefixes", "tags", "all");
    private static final Pattern HOST = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*|\\[[0-9a-f:.]+\\]");
    private static final Pattern TAG = Pattern.compile("[^\\s,]{1,1024}");
    /** Not a host of any configured site: the edges' default route. */
    private static final String NO_SITE = "*";

    /** A rejected request. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        Rejected(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        Problem problem() {
            return problem;
        }
    }

    private final List<SiteConfig> sites;
    private final int maxItems;

    PurgeRequests(List<SiteConfig> sites, int maxItems) {
        this.sites = List.copyOf(sites);
        this.maxItems = maxItems;
    }

    /**
     * The purge {@code body} asks for.
     *
     * @throws Rejected with a 400 or 403 problem naming the field
     */
    PurgeRequest parse(byte[] body, PurgeTokenConfig token) {
        JsonNode root;
        try {
            root = PurgeJson.parse(body);
        } catch (IllegalArgumentException e) {
            throw bad("(body)", "malformed JSON: " + firstLine(e.getMessage()));
        }
        if (!root.isObject()) {
            throw bad("(body)", "expected a JSON object such as {\"urls\":[\"https://www.example.com/a.css\"]}");
        }
        for (var names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw bad(name, "unknown field (expected: urls, prefixes, tags, all, site, host, soft)");
            }
        }
        String kind = null;
        for (String candidate : KINDS) {
            if (root.has(candidate)) {
                if (kind != null) {
                    throw bad(candidate, "a purge names one of urls, prefixes, tags or all (also got " + kind + ")");
                }
                kind = candidate;
            }
        }
        if (kind == null) {
            throw bad("urls", "missing (expected: one of urls, prefixes, tags or all)");
        }
        boolean soft = bool(root, "soft");
        SiteConfig site = site(root);
        String host = text(root, "host");
        if (host != null && !kind.equals("all")) {
            throw bad("host", "host limits a purge of everything (expected: only with \"all\": true)");
        }
        return switch (kind) {
            case "urls" -> urls(root, site, token, soft);
            case "prefixes" -> prefixes(root, site, token, soft);
            case "tags" -> tags(root, site, token, soft);
            default -> all(root, site, host, token, soft);
        };
    }

    private PurgeRequest urls(JsonNode root, @Nullable SiteConfig site, PurgeTokenConfig token, boolean soft) {
        List<String> items = items(root, "urls");
        List<String> targets = new ArrayList<>();
        Set<String> owners = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String field = "urls[" + i + "]";
            URI uri = absoluteUrl(items.get(i), field);
            String host = normalizeHost(uri.getHost(), field);
            owners.add(owner(host, site, token, field));
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String query = uri.getRawQuery();
            targets.add(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + host + path
                    + (query == null || query.isEmpty() ? "" : "?" + query));
        }
        return new PurgeRequest(PurgeRequest.Kind.URLS, targets, soft, List.copyOf(owners));
    }

    private PurgeRequest prefixes(JsonNode root, @Nullable SiteConfig site, PurgeTokenConfig token, boolean soft) {
        List<String> items = items(root, "prefixes");
        List<String> targets = new ArrayList<>();
        Set<String> owners = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String field = "prefixes[" + i + "]";
            String item = items.get(i);
            String host;
            String path;
            if (item.contains("://")) {
                URI uri = absoluteUrl(item, field);
                if (uri.getRawQuery() != null) {
                    throw bad(field, quote(item) + " has a query (expected: a host and a path prefix)");
                }
                host = uri.getHost();
                path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            } else {
                int slash = item.indexOf('/');
                host = slash < 0 ? item : item.substring(0, slash);
                path = slash < 0 ? "/" : item.substring(slash);
            }
            host = normalizeHost(host, field);
            if (path.indexOf('?') >= 0
                    || path.indexOf('#') >= 0
                    || path.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw bad(field, quote(item) + " is not a host and path prefix (expected: e.g. www.example.com/img)");
            }
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            owners.add(owner(host, site, token, field));
            targets.add(host + path);
        }
        return new PurgeRequest(PurgeRequest.Kind.PREFIXES, targets, soft, List.copyOf(owners));
    }

    private PurgeRequest tags(JsonNode root, @Nullable SiteConfig site, PurgeTokenConfig token, boolean soft) {
        List<String> items = items(root, "tags");
        if (site != null) {
            throw bad("site", "a tag names objects of every site (expected: no site with tags)");
        }
        for (int i = 0; i < items.size(); i++) {
            if (!TAG.matcher(items.get(i)).matches()) {
                throw bad(
                        "tags[" + i + "]",
                        quote(items.get(i)) + " is not a surrogate key (expected: 1 to 1024 characters,"
                                + " no space or comma)");
            }
        }
        requireEverySite(token, "a tag purge");
        return new PurgeRequest(PurgeRequest.Kind.TAGS, items, soft, List.of(NO_SITE));
    }

    private PurgeRequest all(
            JsonNode root, @Nullable SiteConfig site, @Nullable String host, PurgeTokenConfig token, boolean soft) {
        JsonNode all = root.get("all");
        if (!all.isBoolean() || !all.asBoolean()) {
            throw bad("all", "expected true, got " + all);
        }
        if (host != null) {
            String normalized = normalizeHost(host, "host");
            String owner = owner(normalized, site, token, "host");
            return new PurgeRequest(PurgeRequest.Kind.PREFIXES, List.of(normalized + "/"), soft, List.of(owner));
        }
        if (site != null) {
            if (!token.allowsSite(site.name())) {
                throw forbidden(token, site.name());
            }
            List<String> targets = new ArrayList<>();
            for (String pattern : site.hosts()) {
                if (pattern.startsWith("*")) {
                    throw bad(
                            "site",
                            "site " + quote(site.name()) + " has the wildcard host " + quote(pattern)
                                    + " (expected: name a host, or purge everything)");
                }
                targets.add(pattern.toLowerCase(Locale.ROOT) + "/");
            }
            return new PurgeRequest(PurgeRequest.Kind.PREFIXES, targets, soft, List.of(site.name()));
        }
        requireEverySite(token, "a purge of everything");
        return new PurgeRequest(PurgeRequest.Kind.ALL, List.of(), soft, List.of(NO_SITE));
    }

    /** The site a host belongs to (the first whose hosts match, as edges route), checked against the token. */
    private String owner(String host, @Nullable SiteConfig site, PurgeTokenConfig token, String field) {
        if (site != null) {
            if (!site.matches(host)) {
                throw bad(field, quote(host) + " is not a host of site " + quote(site.name()));
            }
            if (!token.allowsSite(site.name())) {
                throw forbidden(token, site.name());
            }
            return site.name();
        }
        Optional<SiteConfig> owner =
                sites.stream().filter(candidate -> candidate.matches(host)).findFirst();
        String name = owner.map(SiteConfig::name).orElse(NO_SITE);
        if (owner.isPresent() ? !token.allowsSite(name) : !token.allowsEverySite()) {
            throw forbidden(token, owner.isPresent() ? name : "of host " + host);
        }
        return name;
    }

    private static void requireEverySite(PurgeTokenConfig token, String what) {
        if (!token.allowsEverySite()) {
            throw new Rejected(Problem.forbidden("token " + quote(token.name()) + " may not make " + what
                    + ", which names every site (expected: a token for sites [\"*\"])"));
        }
    }

    private static Rejected forbidden(PurgeTokenConfig token, String site) {
        return new Rejected(Problem.forbidden("token " + quote(token.name()) + " may not purge site "
                + (site.startsWith("of ") ? site : quote(site))));
    }

    private @Nullable SiteConfig site(JsonNode root) {
        String name = text(root, "site");
        if (name == null) {
            return null;
        }
        return sites.stream()
                .filter(site -> site.name().equals(name))
                .findFirst()
                .orElseThrow(() -> bad(
                        "site",
                        "unknown site " + quote(name) + " (expected one of: "
                                + String.join(
                                        ", ",
                                        sites.stream().map(SiteConfig::name).toList()) + ")"));
    }

    private List<String> items(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (!node.isArray()) {
            throw bad(
                    field,
                    "expected a list of strings, got "
                            + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (node.isEmpty()) {
            throw bad(field, "empty (expected: at least one item)");
        }
        if (node.size() > maxItems) {
            throw bad(field, node.size() + " items (expected: at most " + maxItems + " per purge)");
        }
        List<String> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw bad(field + "[" + i + "]", "expected a string, got " + node.get(i));
            }
            items.add(node.get(i).asText());
        }
        return items;
    }

    private static @Nullable String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw bad(field, "expected a string, got " + node);
        }
        return node.asText();
    }

    private static boolean bool(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw bad(field, "expected true or false, got " + node);
        }
        return node.asBoolean();
    }

    private static URI absoluteUrl(String text, String field) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw bad(field, quote(text) + " is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw bad(
                    field,
                    quote(text) + " is not an absolute http(s) URL (expected: e.g. https://www.example.com/a.css)");
        }
        return uri;
    }

    private static String normalizeHost(String host, String field) {
        String normalized = host.toLowerCase(Locale.ROOT);
        if (normalized.endsWith(".")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        if (normalized.length() > 255 || !HOST.matcher(normalized).matches()) {
            throw bad(field, quote(host) + " is not a host name (expected: e.g. www.example.com)");
        }
        return normalized;
    }

    private static Rejected bad(String field, String detail) {
        return new Rejected(Problem.badRequest(field, field + ": " + detail));
    }

    private static String quote(String text) {
        String shown = text.length() > 100 ? text.substring(0, 100) + "…" : text;
        return "\"" + shown.replace("\"", "\\\"") + "\"";
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
