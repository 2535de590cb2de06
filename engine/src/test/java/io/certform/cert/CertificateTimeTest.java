package io.certform.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Date;
import java.util.Random;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

/** A certificate's validity times read digit by digit agree with BouncyCastle's own reading, in every form. */
class CertificateTimeTest {

    @Test
    void agreesWithBouncyCastleOnEveryForm() throws Exception {
        Random random = new Random(5);
        for (int i = 0; i < 2000; i++) {
            // 1950-01-01 .. 2049-12-31, whole seconds: what a UTCTime can hold
            long seconds = -631_152_000L + (long) (random.nextDouble() * 3_155_760_000L);
            Date date = new Date(seconds * 1000);
            Time utc = new Time(new ASN1UTCTime(date));
            Time generalized = new Time(new ASN1GeneralizedTime(date));
            assertEquals(Instant.ofEpochSecond(seconds), CertificateFacts.instant(utc), utc.toString());
            assertEquals(utc.getDate().toInstant(), CertificateFacts.instant(utc), utc.toString());
            assertEquals(generalized.getDate().toInstant(), CertificateFacts.instant(generalized),
                    generalized.toString());
        }
        // the RFC 5280 forms are read without BouncyCastle's date parsing (its SimpleDateFormat loads locale data)
        for (Time time : new Time[] {new Time(new ASN1UTCTime("300101120000Z")),
            new Time(new ASN1GeneralizedTime("20500101120000Z"))}) {
            Time unreadable = new Time(time.toASN1Primitive()) {
                @Override
                public Date getDate() {
                    throw new AssertionError("read through BouncyCastle: " + time);
                }
            };
            assertEquals(time.getDate().toInstant(), CertificateFacts.instant(unreadable));
        }
        // the century boundary of UTCTime (RFC 5280: 50-99 are 19YY, 00-49 are 20YY)
        for (String text : new String[] {"491231235959Z", "500101000000Z", "000229120000Z", "991231235959Z"}) {
            Time time = new Time(new ASN1UTCTime(text));
            assertEquals(time.getDate().toInstant(), CertificateFacts.instant(time), text);
        }
        // forms the digit reader leaves to BouncyCastle: fractions, offsets, far years
        for (String text : new String[] {"20300101120000.5Z", "20300101120000+0100", "99991231235959Z",
            "19000101000000Z"}) {
            Time time = new Time(new ASN1GeneralizedTime(text));
            assertEquals(time.getDate().toInstant(), CertificateFacts.instant(time), text);
        }
    }

    /**
     * BouncyCastle reads a GeneralizedTime through SimpleDateFormat, whose calendar is Julian before 15 October 1582;
     * java.time is proleptic Gregorian. A certificate may carry any four-digit year (test certificates often do).
     */
    @Test
    void agreesWithBouncyCastleBeforeTheGregorianCutover() {
        for (String text : new String[] {"15000101000000Z", "00010101000000Z", "15821004120000Z",
            "15821015000000Z", "10000101000000Z"}) {
            Time time = new Time(new ASN1GeneralizedTime(text));
            assertEquals(time.getDate().toInstant(), CertificateFacts.instant(time), text);
        }
    }
}
