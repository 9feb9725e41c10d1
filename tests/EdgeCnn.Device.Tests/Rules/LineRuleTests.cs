using EdgeCnn.Device.Rules;
using EdgeCnn.Device.Tests.Gpio;

namespace EdgeCnn.Device.Tests.Rules;

/// <summary>Rules against a fake chip, on frame timestamps (ms here, ns in the rule).</summary>
public class LineRuleTests
{
    private const long Ms = 1_000_000;

    private static (LineRule Rule, FakeGpioChip.FakeLine Line) Rule(float threshold, int debounceMs, int minHoldMs)
    {
        var chip = new FakeGpioChip();
        var line = (FakeGpioChip.FakeLine)chip.RequestOutput(3, "test", activeLow: false, initial: false);
        return (new LineRule("person", 1, threshold, line, debounceMs, minHoldMs), line);
    }

    [Fact]
    public void Without_debounce_or_hold_the_line_follows_the_threshold_on_every_frame()
    {
        (LineRule rule, FakeGpioChip.FakeLine line) = Rule(0.5f, 0, 0);
        float[] scores = [0.1f, 0.5f, 0.7f, 0.49f, 0.2f, 0.9f];
        bool[] changed = [.. scores.Select((s, i) => rule.Update(s, i * 33 * Ms))];
        Assert.Equal([false, true, false, true, false, true], changed); // 0.5 is at the threshold: on
        Assert.Equal([true, false, true], line.Writes);
    }

    [Fact]
    public void Debounce_ignores_conditions_shorter_than_the_debounce_time_in_both_directions()
    {
        (LineRule rule, FakeGpioChip.FakeLine line) = Rule(0.5f, 100, 0);
        rule.Update(0.9f, 0);          // condition starts
        rule.Update(0.9f, 50 * Ms);
        rule.Update(0.1f, 60 * Ms);    // a blip off: the pending rise is cancelled
        rule.Update(0.9f, 70 * Ms);    // starts again at 70
        Assert.False(line.Value);
        Assert.False(rule.Update(0.9f, 169 * Ms));
        Assert.True(rule.Update(0.9f, 170 * Ms)); // held 100 ms
        Assert.True(line.Value);
        rule.Update(0.1f, 200 * Ms);   // falling also debounced
        Assert.False(rule.Update(0.9f, 250 * Ms));
        Assert.False(rule.Update(0.1f, 260 * Ms));
        Assert.True(line.Value);
        Assert.True(rule.Update(0.1f, 360 * Ms));
        Assert.False(line.Value);
        Assert.Equal([true, false], line.Writes);
    }

    [Fact]
    public void Minimum_hold_keeps_a_briefly_seen_object_active_then_releases_at_the_end_of_the_hold()
    {
        (LineRule rule, FakeGpioChip.FakeLine line) = Rule(0.5f, 0, 1000);
        Assert.True(rule.Update(0.9f, 0));
        Assert.False(rule.Update(0.1f, 40 * Ms));
        Assert.False(rule.Update(0.1f, 999 * Ms));
        Assert.True(line.Value);
        Assert.True(rule.Update(0.1f, 1000 * Ms));
        Assert.False(line.Value);
        // seen again within the hold: the hold restarts from the new activation only when the line was released
        Assert.True(rule.Update(0.9f, 1100 * Ms));
        Assert.False(rule.Update(0.2f, 1500 * Ms));
        Assert.False(rule.Update(0.9f, 1600 * Ms));
        Assert.False(rule.Update(0.2f, 2099 * Ms));
        Assert.True(rule.Update(0.2f, 2100 * Ms));
    }

    [Fact]
    public void Release_drives_inactive_once_and_dispose_releases_the_line()
    {
        (LineRule rule, FakeGpioChip.FakeLine line) = Rule(0.5f, 0, 5000);
        rule.Update(1f, 0);
        Assert.True(rule.Release());
        Assert.False(rule.Release());
        Assert.False(line.Value);
        rule.Dispose();
        Assert.True(line.Released);
    }

    [Fact]
    public void Nan_scores_never_activate()
    {
        (LineRule rule, FakeGpioChip.FakeLine line) = Rule(0f, 0, 0);
        Assert.False(rule.Update(float.NaN, 0));
        Assert.False(line.Value);
    }

    [Fact]
    public void Updates_allocate_nothing()
    {
        (LineRule rule, _) = Rule(0.5f, 10, 10);
        rule.Update(0.9f, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            rule.Update(i % 7 < 3 ? 0.9f : 0.1f, i * 5 * Ms);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
