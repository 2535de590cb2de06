package io.certform.rollout;

import io.certform.manifest.RolloutSpec.WaveSize;
import java.util.ArrayList;
import java.util.List;

/** Splits what a rollout binds into waves, in the order given (the plan's address order): a pure function. */
public final class Waves {

    private Waves() {
    }

    /**
     * The waves for {@code items}: each size in turn takes its count, or its share of what remains (rounded up),
     * never more than remains; what the sizes leave goes into one more wave at the end (the last wave always takes
     * the rest). No wave is empty: sizes met once nothing remains make none.
     *
     * @param items in the order they go out
     * @param sizes at least one
     */
    public static <T> List<List<T>> split(List<T> items, List<WaveSize> sizes) {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("a rollout has at least one wave size");
        }
        List<List<T>> waves = new ArrayList<>();
        int next = 0;
        for (WaveSize size : sizes) {
            int take = size.of(items.size() - next);
            if (take == 0) {
                break;
            }
            waves.add(List.copyOf(items.subList(next, next + take)));
            next += take;
        }
        if (next < items.size()) {
            waves.add(List.copyOf(items.subList(next, items.size())));
        }
        return List.copyOf(waves);
    }

    /** The sizes of the waves {@link #split} makes of {@code count} items, e.g. 200 with [1, "10%", "100%"]: 1, 20, 179. */
    public static List<Integer> sizes(int count, List<WaveSize> sizes) {
        List<Integer> indexes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            indexes.add(i);
        }
        return split(indexes, sizes).stream().map(List::size).toList();
    }
}
