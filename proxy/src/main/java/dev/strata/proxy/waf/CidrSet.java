package dev.strata.proxy.waf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A set of networks in CIDR notation that answers, for an address, the longest prefix among the
 * networks holding it. IPv4 and IPv6 are apart: an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d})
 * is looked up as the IPv4 address it maps. A lookup scans the networks (few, from the
 * configuration) and allocates nothing. Immutable and thread-safe.
 */
final class CidrSet {
    /** Each network as its address bytes, in {@link #prefixes} order. */
    private final byte[][] networks;

    private final int[] prefixes;

    private CidrSet(byte[][] networks, int[] prefixes) {
        this.networks = networks;
        this.prefixes = prefixes;
    }

    /**
     * Parses networks the configuration checked already ({@code 10.0.0.0/8}, {@code 2001:db8::/32}).
     * Parsing an address literal never resolves a name.
     *
     * @throws IllegalArgumentException for text that is not a network
     */
    static CidrSet of(List<String> cidrs) {
        byte[][] networks = new byte[cidrs.size()][];
        int[] prefixes = new int[cidrs.size()];
        for (int i = 0; i < cidrs.size(); i++) {
            String cidr = cidrs.get(i);
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("not a network: " + cidr);
            }
            byte[] address = literal(cidr.substring(0, slash));
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("not a network: " + cidr);
            }
            networks[i] = address;
            prefixes[i] = prefix;
        }
        return new CidrSet(networks, prefixes);
    }

    private static byte[] literal(String text) {
        if (text.isEmpty() || !(text.indexOf(':') >= 0 || Character.isDigit(text.charAt(0)))) {
            throw new IllegalArgumentException("not an address: " + text);
        }
        try {
            // A literal (digits, dots, colons): getByName parses it and never asks DNS.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + text, e);
        }
    }

    boolean isEmpty() {
        return prefixes.length == 0;
    }

    /** The longest prefix of the networks holding {@code address}, or -1 when none does. */
    int longestMatch(InetAddress address) {
        if (prefixes.length == 0) {
            return -1;
        }
        byte[] bytes = address.getAddress(); // a copy: only when there are networks to compare
        int offset = 0;
        int length = bytes.length;
        if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
            offset = 12;
            length = 4;
        } else if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
            return -1;
        }
        int best = -1;
        for (int i = 0; i < prefixes.length; i++) {
            if (networks[i].length == length && prefixes[i] > best && holds(networks[i], prefixes[i], bytes, offset)) {
                best = prefixes[i];
            }
        }
        return best;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static boolean holds(byte[] network, int prefix, byte[] address, int offset) {
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (network[i] != address[offset + i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (network[whole] & mask) == (address[offset + whole] & mask);
    }
}
