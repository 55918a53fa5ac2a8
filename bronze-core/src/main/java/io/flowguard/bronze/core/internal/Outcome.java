package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;

/** What conversion made of one consumed record: a Bronze record to land, a dead letter, or a skip. */
sealed interface Outcome {

    record Land(BronzeRecord record) implements Outcome {}

    record Dead(DeadLetter deadLetter) implements Outcome {}

    record Skip(String topic) implements Outcome {}
}
