package io.certform.acme;

/**
 * What the issuer tells its caller of each durable step, before it acts on it (the caller records it durably, and
 * a later run resumes from what was recorded: {@link Resume}). A method that throws stops the issuance there.
 */
public interface IssueJournal {

    /** The order exists at the CA: recorded before any challenge is presented for it. */
    void orderCreated(String orderUrl);

    /** A challenge record is about to be created: recorded before the solver creates it. */
    void challengePresenting(ChallengeRecord record);

    /** A challenge record was removed: recorded after the solver removed it. */
    void challengeCleaned(ChallengeRecord record);

    /** The order was finalized and its certificate is at {@code certificateUrl}: recorded before the download. */
    void finalized(String certificateUrl);

    /** A journal that records nothing. */
    IssueJournal NONE = new IssueJournal() {
        @Override
        public void orderCreated(String orderUrl) {
        }

        @Override
        public void challengePresenting(ChallengeRecord record) {
        }

        @Override
        public void challengeCleaned(ChallengeRecord record) {
        }

        @Override
        public void finalized(String certificateUrl) {
        }
    };
}
