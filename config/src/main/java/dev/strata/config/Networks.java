package dev.strata.config;

/**
 * Syntax checks for networks in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). Pure
 * text checks: nothing here resolves a name, so a host name can never trigger a DNS lookup.
 */
final class Networks {
    private Networks() {}

    /** Whether {@code text} is an IPv4 or IPv6 address, a slash and a prefix length that fits it. */
    static boolean isCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            return false;
        }
        String address = text.substring(0, slash);
        String prefix = text.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int bits = Integer.parseInt(prefix);
        if (address.indexOf(':') >= 0) {
            return isIpv6(address) && bits <= 128;
        }
        return isIpv4(address) && bits <= 32;
    }

    /** Four decimal octets, each 0 to 255. */
    static boolean isIpv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty()
                    || octet.length() > 3
                    || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Eight groups of one to four hex digits (RFC 4291 §2.2): at most one {@code ::} standing for
     * one or more zero groups, and the last 32 bits optionally written as IPv4.
     */
    static boolean isIpv6(String text) {
        int compressed = text.indexOf("::");
        if (compressed >= 0 && text.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        if (compressed < 0) {
            return groups(text, true) == 8;
        }
        String right = text.substring(compressed + 2);
        int left = groups(text.substring(0, compressed), false);
        int rest = groups(right, true);
        return left >= 0 && rest >= 0 && left + rest <= 7;
    }

    /** The number of 16-bit groups in a colon-separated run, or -1 when it is malformed. */
    private static int groups(String run, boolean ipv4AtEnd) {
        if (run.isEmpty()) {
            return 0;
        }
        String[] parts = run.split(":", -1);
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (ipv4AtEnd && i == parts.length - 1 && part.indexOf('.') >= 0) {
                if (!isIpv4(part)) {
                    return -1;
                }
                count += 2;
            } else if (!part.isEmpty() && part.length() <= 4 && part.chars().allMatch(Networks::isHexDigit)) {
                count++;
            } else {
                return -1;
            }
        }
        return count;
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
