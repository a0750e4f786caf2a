package dev.strata.proxy.waf;

/**
 * The text a rule's pattern is matched against, with a budget of character reads: a pattern that
 * backtracks past it (an operator's {@code (a+)+$} on a hostile input) stops with {@link
 * #EXHAUSTED} instead of holding an I/O thread for seconds. Java's regex engine reads its input
 * only through {@link #charAt}, so the reads count the engine's steps closely enough. Not
 * thread-safe: one per thread, reset for each match.
 */
final class BoundedText implements CharSequence {
    /** Reads allowed per character of input, on top of {@link #BASE_BUDGET}. */
    static final long BUDGET_PER_CHAR = 256;
    /** Reads allowed for any input, however short. */
    static final long BASE_BUDGET = 16_384;

    /** Thrown when a match ran out of budget; shared, without a stack trace. */
    static final RuntimeException EXHAUSTED = new BudgetExhausted();

    private String text = "";
    private long budget;

    /** Points this at {@code input} with a fresh budget for one match. */
    BoundedText reset(String input) {
        text = input;
        budget = BASE_BUDGET + BUDGET_PER_CHAR * input.length();
        return this;
    }

    @Override
    public char charAt(int index) {
        if (--budget < 0) {
            throw EXHAUSTED;
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }

    private static final class BudgetExhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExhausted() {
            super("a WAF pattern ran out of its match budget", null, false, false);
        }
    }
}
