package dev.strata.upstream;

import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;

/**
 * How every HttpClient 5 client that talks to our next hop is set up (requests and health checks):
 * HTTP/1.1 only; never a redirect, cookie, cached authentication, connection state or automatic
 * retry of its own (failover and retries are {@link UpstreamClient}'s, within its budget); and no
 * {@code Upgrade: TLS/1.2} offered on plain http, which HttpClient 5.4 otherwise sends and some
 * origins answer with 400 (HTTPCLIENT-2344).
 */
final class HopClients {
    private HopClients() {}

    /**
     * A builder with those settings.
     *
     * @param request the caller's timeouts; redirects and protocol upgrade are turned off on it
     */
    static HttpAsyncClientBuilder builder(
            AsyncClientConnectionManager connections, IOReactorConfig reactor, RequestConfig.Builder request) {
        return HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .setIOReactorConfig(reactor)
                .setDefaultRequestConfig(requestConfig(request))
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState();
    }

    /**
     * {@code request} with redirects and protocol upgrade turned off: the default of a client, and
     * what a request that sets its own configuration must carry too.
     */
    static RequestConfig requestConfig(RequestConfig.Builder request) {
        return request.setRedirectsEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .build();
    }
}
