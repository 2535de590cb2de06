package io.certform.state;

import java.util.List;

/** The rule every store applies before taking over another store's states ({@link StateStore#adopt}). */
public final class Adoption {

    private Adoption() {
    }

    /**
     * Refuses {@code versions} (oldest first) unless they are one lineage with rising serials, and {@code stored}
     * (null: nothing stored) is nothing, or the same lineage at a serial not past the newest of them.
     */
    public static void check(State stored, List<State> versions, String where) throws StateConflictException {
        State newest = versions.get(versions.size() - 1);
        for (int i = 0; i < versions.size(); i++) {
            State v = versions.get(i);
            if (!v.lineage().equals(newest.lineage()) || (i > 0 && v.serial() <= versions.get(i - 1).serial())) {
                throw new StateConflictException("the states to move are not one history (lineage "
                        + newest.lineage() + ", rising serials). Nothing was written.");
            }
        }
        if (stored == null) {
            return;
        }
        if (!stored.lineage().equals(newest.lineage())) {
            throw new StateConflictException(where + " already holds another state (lineage " + stored.lineage()
                    + ", serial " + stored.serial() + ") than the one being moved (lineage " + newest.lineage()
                    + "). Nothing was written: move it to an empty place (another workspace or file), or remove"
                    + " that state first if it is not needed.");
        }
        if (stored.serial() > newest.serial()) {
            throw new StateConflictException(where + " already holds this state at serial " + stored.serial()
                    + ", newer than the serial " + newest.serial() + " being moved: it was written there since."
                    + " Nothing was written; the newer state stays.");
        }
    }
}
