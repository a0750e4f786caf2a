package dev.strata.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetsTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:8081/",
                "http://127.0.0.2:1/x",
                "http://[::1]:8081",
                "http://localhost:8081/a?b=c"
            })
    void acceptsLoopbackTargets(String url) {
        assertThat(Targets.requireLoopback(url).toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"http://10.1.2.3/", "http://192.168.0.1:80/", "http://0.0.0.0:8080/", "http://[2001:db8::1]/"})
    void refusesOtherAddresses(String url) {
        assertThatThrownBy(() -> Targets.requireLoopback(url))
                .isInstanceOf(LoadtestException.class)
                .hasMessageContaining("which is not loopback");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/", "127.0.0.1:8080", "ftp://127.0.0.1/", "http://", "http://exa mple/"})
    void refusesWhatIsNotAnHttpUrl(String url) {
        assertThatThrownBy(() -> Targets.requireLoopback(url))
                .isInstanceOf(LoadtestException.class)
                .hasMessageStartingWith("--target: \"" + url + "\" is not");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://no-such-host.invalid/"})
    void refusesHostsThatDoNotResolve(String url) {
        assertThatThrownBy(() -> Targets.requireLoopback(url))
                .isInstanceOf(LoadtestException.class)
                .hasMessageContaining("does not resolve");
    }
}
