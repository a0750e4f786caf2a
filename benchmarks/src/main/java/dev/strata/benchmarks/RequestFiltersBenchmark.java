package dev.strata.benchmarks;

import dev.strata.config.RateLimitConfig;
import dev.strata.config.WafConfig;
import dev.strata.proxy.ratelimit.RateLimiter;
import dev.strata.proxy.waf.Waf;
import dev.strata.proxy.waf.WafVerdict;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an edge's WAF and rate limits add to a request, on the I/O thread: {@link Waf#check} of an
 * ordinary browser request for a static asset (every built-in rule, no match), with and without a
 * query, and {@link RateLimiter#take} from a client's bucket. The exchange is Undertow's, as its
 * parser leaves it, without a connection; the rate limiter's clock is the system clock and its
 * limit too high to refuse.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestFiltersBenchmark {
    /** The request target: a hashed asset, or a search with a query of three parameters. */
    @Param({"/assets/js/app.3f9a2c1b.js", "/search?q=rock+and+roll&page=2&lang=en"})
    public String target = "/assets/js/app.3f9a2c1b.js";

    private Waf waf;
    private RateLimiter limiter;
    private HttpServerExchange exchange;
    private InetAddress client;
    private String path;

    /** Compiles the default WAF and a per-client limit, and builds the request. */
    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        waf = Waf.compile(new WafConfig(true, List.of(), List.of()));
        limiter = RateLimiter.of(new RateLimitConfig(true, 1e9, 1_000_000_000), Clock.systemUTC());
        client = InetAddress.getByName("198.51.100.7");
        exchange = new HttpServerExchange(null);
        exchange.setRequestMethod(new HttpString("GET"));
        int question = target.indexOf('?');
        path = question < 0 ? target : target.substring(0, question);
        exchange.setRequestURI(path);
        exchange.setRequestPath(path);
        exchange.setQueryString(question < 0 ? "" : target.substring(question + 1));
        String[] headers = {
            "Host", "static.example.com",
            "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
            "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language", "en-GB,en;q=0.5",
            "Accept-Encoding", "gzip, deflate, br",
            "Referer", "https://www.example.com/",
            "Cookie", "session=3f9a2c1b7d; theme=dark",
            "Connection", "keep-alive"
        };
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getRequestHeaders().add(new HttpString(headers[i]), headers[i + 1]);
        }
        if (waf.check(exchange, client, path) != WafVerdict.PASS) {
            throw new IllegalStateException("the benchmark's request must pass the WAF: " + target);
        }
    }

    @Benchmark
    public WafVerdict wafCheck() {
        return waf.check(exchange, client, path);
    }

    @Benchmark
    public Object rateLimitTake() {
        return limiter.take(exchange, client) == null ? Boolean.TRUE : Boolean.FALSE;
    }
}
