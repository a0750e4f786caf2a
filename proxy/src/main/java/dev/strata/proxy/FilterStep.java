package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * What an edge's WAF and rate limit steps share: the filters of the live spec, where their refusals
 * are answered and where they are logged.
 *
 * @param filters the WAF and rate limits now, read once per request
 * @param responses answers the refusals
 * @param refusals logs them, at most once per rule or limit per interval
 */
record FilterStep(Supplier<RequestFilters> filters, Responses responses, RefusalLog refusals) {
    FilterStep {
        requireNonNull(filters, "filters");
        requireNonNull(responses, "responses");
        requireNonNull(refusals, "refusals");
    }
}
