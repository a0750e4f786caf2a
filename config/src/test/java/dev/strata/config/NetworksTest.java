package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworksTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.0/8",
                "0.0.0.0/0",
                "192.168.1.1/32",
                "::/0",
                "::1/128",
                "2001:db8::/32",
                "fe80::1:2:3:4/64",
                "1:2:3:4:5:6:7:8/128",
                "1:2:3:4:5:6:7::/112",
                "::ffff:192.0.2.1/128",
                "64:ff9b::192.0.2.33/96"
            })
    void acceptsNetworks(String text) {
        assertThat(Networks.isCidr(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.0",
                "10.0.0.0/33",
                "10.0.0/8",
                "10.0.0.256/8",
                "10.0.0.0/",
                "10.0.0.0/8/8",
                "10.0.0.0/-1",
                "example.com/8",
                "::/129",
                "1:2:3:4:5:6:7:8:9/64",
                "1::2::3/64",
                ":::/64",
                "12345::/16",
                "1:2:3:4:5:6:7/64",
                "::1.2.3/96",
                "fe80::1%eth0/64",
                "١٢::/16"
            })
    void rejectsWhatIsNotANetwork(String text) {
        assertThat(Networks.isCidr(text)).isFalse();
    }

    @Property
    void everyIpv4AddressWithAPrefixIsANetwork(
            @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long address,
            @ForAll @IntRange(min = 0, max = 32) int prefix) {
        String dotted = (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);

        assertThat(Networks.isCidr(dotted + "/" + prefix)).isTrue();
    }

    @Property
    void everyIpv6AddressWithAPrefixIsANetwork(
            @ForAll @Size(8) List<@IntRange(min = 0, max = 0xFFFF) Integer> groups,
            @ForAll @IntRange(min = 0, max = 128) int prefix) {
        String full = groups.stream().map(group -> Integer.toHexString(group)).collect(Collectors.joining(":"));

        assertThat(Networks.isCidr(full + "/" + prefix)).isTrue();
    }
}
