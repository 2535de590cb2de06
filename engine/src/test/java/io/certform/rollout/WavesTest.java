package io.certform.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certform.manifest.RolloutSpec.WaveSize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How many bindings each wave takes, for a wave list and a number of bindings. */
class WavesTest {

    @ParameterizedTest(name = "{0} bindings in waves [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
            // the contract's example: a canary, a tenth of what remains (rounded up), the rest
            "200 | 1,10%,100% | 1,20,179",
            // the same without "100%": the last wave takes what the list leaves
            "200 | 1,10%      | 1,20,179",
            "200 | 5          | 5,195",
            "200 | 100%       | 200",
            // a count larger than what remains takes what remains, and later waves have nothing: no empty wave
            "3   | 5,100%     | 3",
            "200 | 1,500,100% | 1,199",
            "200 | 1,500,10   | 1,199",
            // shares are of what remains, rounded up
            "10  | 50%,50%    | 5,3,2",
            "1   | 1%         | 1",
            "3   | 1%,1%,1%   | 1,1,1",
            "101 | 10%,100%   | 11,90",
            // nothing to bind: no wave
            "0   | 1,10%,100% | ''",
    })
    void waveSizes(int bindings, String waves, String expected) {
        List<WaveSize> sizes = Arrays.stream(waves.split(",")).map(WaveSize::parse).toList();
        List<Integer> want = expected.isEmpty() ? List.of()
                : Arrays.stream(expected.split(",")).map(String::strip).map(Integer::valueOf).toList();
        assertEquals(want, Waves.sizes(bindings, sizes));
    }

    @Test
    void everyBindingIsInExactlyOneWave_inTheOrderGiven() {
        List<String> addresses = IntStream.range(0, 200).mapToObj(i -> "site[d" + i + ".example.com]").toList();
        List<List<String>> waves = Waves.split(addresses, List.of(WaveSize.count(1), WaveSize.percent(10)));
        List<String> joined = new ArrayList<>();
        waves.forEach(joined::addAll);
        assertEquals(addresses, joined);
        assertEquals("site[d0.example.com]", waves.get(0).get(0));
        assertEquals(List.of("site[d1.example.com]", "site[d20.example.com]"),
                List.of(waves.get(1).get(0), waves.get(1).get(19)));
    }

    @Test
    void noWaveSize_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Waves.split(List.of("a"), List.of()));
    }
}
