using System.Globalization;
using System.Runtime.InteropServices;
using EdgeCnn.App.Pipeline;
using EdgeCnn.Device.Config;

namespace EdgeCnn.App;

/// <summary>
/// edgecnn-run run --config FILE: the device loop until the source ends, --frames are done, or SIGTERM/SIGINT. After
/// warmupFrames it counts the bytes this thread allocates and the gen0 collections; the summary on stderr reports them
/// (CI's soak asserts both are 0) with the frame count and, for labelled sources, the accuracy.
/// </summary>
internal static class RunCommand
{
    public static int Run(string configPath, long? frames, string? jsonLines, TextWriter log)
    {
        EdgeConfig config = ConfigLoader.Load(configPath);
        if (frames is { } f)
        {
            config.Frames = f;
        }

        if (jsonLines is not null)
        {
            config.Output.JsonLines = jsonLines.Length > 0 ? jsonLines : throw new UsageException("--json-lines needs stdout, none or a file path, not an empty string");
        }

        s_stop = false;
        using var pipeline = new EdgePipeline(config, configPath);
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, pipeline));
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, pipeline));
        var ticks = default(StageTicks);
        long allocatedAtWarmup = 0, gen0AtWarmup = 0, correct = 0, labelled = 0;
        int warmup = config.WarmupFrames;
        long limit = config.Frames > 0 ? config.Frames : long.MaxValue;
        long startTicks = System.Diagnostics.Stopwatch.GetTimestamp();
        if (warmup == 0)
        {
            // no warm-up: count from the first frame (the loop's check below never sees Frames == 0)
            allocatedAtWarmup = GC.GetAllocatedBytesForCurrentThread();
            gen0AtWarmup = GC.CollectionCount(0);
        }

        while (pipeline.Frames < limit && !s_stop && pipeline.Step(ref ticks))
        {
            if (pipeline.LastTruth >= 0)
            {
                labelled++;
                correct += pipeline.Post.Best == pipeline.LastTruth ? 1 : 0;
            }

            if (pipeline.Frames == warmup)
            {
                allocatedAtWarmup = GC.GetAllocatedBytesForCurrentThread();
                gen0AtWarmup = GC.CollectionCount(0);
            }
        }

        // counted only past warm-up: a shorter run reports null, not a zero it never measured
        bool measured = pipeline.Frames > warmup;
        long allocated = measured ? GC.GetAllocatedBytesForCurrentThread() - allocatedAtWarmup : 0;
        long gen0 = measured ? GC.CollectionCount(0) - gen0AtWarmup : 0;
        string allocatedText = measured ? allocated.ToString(CultureInfo.InvariantCulture) : "null";
        string gen0Text = measured ? gen0.ToString(CultureInfo.InvariantCulture) : "null";
        double seconds = (System.Diagnostics.Stopwatch.GetTimestamp() - startTicks) / (double)System.Diagnostics.Stopwatch.Frequency;
        string accuracy = labelled > 0 ? string.Create(CultureInfo.InvariantCulture, $",\"accuracy\":{(double)correct / labelled:F4}") : string.Empty;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"edgecnn-run: summary {{\"frames\":{pipeline.Frames},\"warmupFrames\":{warmup},\"allocatedBytesAfterWarmup\":{allocatedText},\"gen0CollectionsAfterWarmup\":{gen0Text},\"seconds\":{seconds:F3},\"fps\":{pipeline.Frames / Math.Max(seconds, 1e-9):F1}{accuracy}}}"));
        (long skipped, long errors, long reconnects) = pipeline.Source is Vision.Capture.V4L2Camera camera
            ? (camera.SkippedFrames, camera.ErrorFrames, camera.Reconnects) : (0L, 0L, 0L);
        pipeline.WriteEvent("stopped", ("frames", pipeline.Frames), ("allocatedBytesAfterWarmup", measured ? allocated : null), ("gen0CollectionsAfterWarmup", measured ? gen0 : null),
            ("skippedFrames", skipped), ("errorFrames", errors), ("reconnects", reconnects));
        return 0;
    }

    private static volatile bool s_stop;

    private static void Stop(PosixSignalContext context, EdgePipeline pipeline)
    {
        context.Cancel = true; // exit through the loop: lines released, STOPPING=1 sent
        s_stop = true;
        pipeline.Stop();
    }
}
