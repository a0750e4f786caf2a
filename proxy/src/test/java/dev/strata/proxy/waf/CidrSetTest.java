package dev.strata.proxy.waf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Longest-prefix lookups of client addresses in networks. */
class CidrSetTest {
    @Test
    void theLongestPrefixHoldingTheAddressIsFound() throws Exception {
        CidrSet set = CidrSet.of(List.of("10.0.0.0/8", "10.1.0.0/16", "10.1.2.128/25", "2001:db8::/32", "0.0.0.0/0"));

        assertThat(set.longestMatch(InetAddress.getByName("10.1.2.200"))).isEqualTo(25);
        assertThat(set.longestMatch(InetAddress.getByName("10.1.2.100"))).isEqualTo(16);
        assertThat(set.longestMatch(InetAddress.getByName("10.9.0.1"))).isEqualTo(8);
        assertThat(set.longestMatch(InetAddress.getByName("192.0.2.1"))).isZero();
        assertThat(set.longestMatch(InetAddress.getByName("2001:db8:ffff::1"))).isEqualTo(32);
        assertThat(set.longestMatch(InetAddress.getByName("2001:db9::1")))
                .as("IPv6 is apart")
                .isEqualTo(-1);
        assertThat(set.longestMatch(InetAddress.getByName("::ffff:10.1.2.200"))).isEqualTo(25);
        assertThat(CidrSet.of(List.of()).longestMatch(InetAddress.getByName("10.0.0.1")))
                .isEqualTo(-1);
    }

    @Property
    void anIpv4NetworkHoldsExactlyTheAddressesSharingItsPrefix(
            @ForAll int network, @ForAll int address, @ForAll @IntRange(max = 32) int prefix) throws Exception {
        CidrSet set = CidrSet.of(List.of(dotted(network) + "/" + prefix));
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        boolean shares = ((network ^ address) & mask) == 0;

        assertThat(set.longestMatch(InetAddress.getByName(dotted(address)))).isEqualTo(shares ? prefix : -1);
    }

    private static String dotted(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    @Test
    void namesAreNeverResolved() {
        assertThatThrownBy(() -> CidrSet.of(List.of("localhost/32"))).isInstanceOf(IllegalArgumentException.class);
    }
}
