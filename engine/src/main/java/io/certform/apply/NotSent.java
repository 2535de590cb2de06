package io.certform.apply;

/**
 * A write that did not leave: the run was stopped (Ctrl-C, SIGTERM, an authentication failure, something that ran
 * out) while it waited for its rate slot, the concurrency limit or a back-off. Its intent for that attempt was never
 * journalled, and the change is reported as not attempted.
 */
final class NotSent extends RuntimeException {
    NotSent(String why) {
        super(why, null, false, false);
    }
}
