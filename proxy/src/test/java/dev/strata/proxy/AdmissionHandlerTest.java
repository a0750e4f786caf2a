package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AdmissionHandlerTest {
    /** The grammar as the regular expression the scan replaced: the oracle. */
    private static final Pattern HOST = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252}[A-Za-z0-9_])?\\.?)(:[0-9]{1,5})?");

    @Test
    void hostNamesAddressesAndPortsAreAccepted() {
        assertThat(AdmissionHandler.isHost("example.com")).isTrue();
        assertThat(AdmissionHandler.isHost("example.com.")).isTrue();
        assertThat(AdmissionHandler.isHost("a")).isTrue();
        assertThat(AdmissionHandler.isHost("127.0.0.1:8080")).isTrue();
        assertThat(AdmissionHandler.isHost("[::1]:443")).isTrue();
        assertThat(AdmissionHandler.isHost("[2001:db8::1]")).isTrue();
    }

    @Test
    void anythingElseIsRefused() {
        assertThat(AdmissionHandler.isHost("")).isFalse();
        assertThat(AdmissionHandler.isHost(".")).isFalse();
        assertThat(AdmissionHandler.isHost("-example.com")).isFalse();
        assertThat(AdmissionHandler.isHost("example.com:")).isFalse();
        assertThat(AdmissionHandler.isHost("example.com:123456")).isFalse();
        assertThat(AdmissionHandler.isHost("exa mple.com")).isFalse();
        assertThat(AdmissionHandler.isHost("evil.com/path")).isFalse();
        assertThat(AdmissionHandler.isHost("[]")).isFalse();
        assertThat(AdmissionHandler.isHost("[::1")).isFalse();
        assertThat(AdmissionHandler.isHost("a".repeat(255))).isFalse();
    }

    @Property(tries = 5000)
    void theScanAgreesWithTheGrammar(@ForAll("hosts") String host) {
        assertThat(AdmissionHandler.isHost(host))
                .as(host)
                .isEqualTo(HOST.matcher(host).matches());
    }

    @Provide
    Arbitrary<String> hosts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ9_.-:[]f ").ofMaxLength(12),
                Arbitraries.strings().withChars("ab.-").ofMinLength(250).ofMaxLength(258),
                Arbitraries.strings().withChars("0123456789:").ofMaxLength(9).map(port -> "host" + port),
                Arbitraries.strings()
                        .withChars("0123456789abcdef:.")
                        .ofMaxLength(12)
                        .map(ip -> "[" + ip + "]"));
    }
}
