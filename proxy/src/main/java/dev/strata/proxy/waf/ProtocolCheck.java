package dev.strata.proxy.waf;

import dev.strata.config.BuiltInWafRules;
import java.util.Arrays;
import java.util.List;

/**
 * The WAF's protocol checks, by the ids {@link BuiltInWafRules#PROTOCOL_CHECKS} lists (in the same
 * order); {@link Waf} implements each as a scan.
 */
enum ProtocolCheck {
    NUL_BYTE("protocol.nul-byte"),
    PATH_TRAVERSAL("protocol.path-traversal"),
    INVALID_ENCODING("protocol.invalid-encoding"),
    METHOD("protocol.method"),
    BODY_ON_GET("protocol.body-on-get"),
    TRANSFER_ENCODING("protocol.transfer-encoding");

    static {
        List<String> ids = Arrays.stream(values()).map(ProtocolCheck::id).toList();
        if (!ids.equals(List.copyOf(BuiltInWafRules.PROTOCOL_CHECKS.keySet()))) {
            throw new IllegalStateException("protocol checks " + ids + " are not those the configuration lists: "
                    + BuiltInWafRules.PROTOCOL_CHECKS.keySet());
        }
    }

    private final String id;

    ProtocolCheck(String id) {
        this.id = id;
    }

    /** The check's rule id. */
    String id() {
        return id;
    }
}
