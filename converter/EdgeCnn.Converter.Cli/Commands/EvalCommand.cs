using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeCnn.Converter.Evaluation;

namespace EdgeCnn.Converter.Cli.Commands;

/// <summary>`edgecnn-convert eval MODEL.ecnn --images X --labels Y`: top-1 accuracy over a labelled IDX set.</summary>
internal static class EvalCommand
{
    public static readonly string[] Examples =
    [
        "edgecnn-convert eval fashion.ecnn --images /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz " +
            "--labels /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz --threads 2",
    ];

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A classifier .ecnn whose output 0 holds class scores.", HelpName = "MODEL.ecnn" };
        var images = new Option<string>("--images") { Description = "IDX image file (idx3-ubyte, gzipped or not).", Required = true };
        var labels = new Option<string>("--labels") { Description = "IDX label file (idx1-ubyte, gzipped or not).", Required = true };
        var limit = new Option<int>("--limit") { Description = "Evaluate only the first N images.", DefaultValueFactory = _ => int.MaxValue };
        var threads = new Option<int>("--threads") { Description = "Sessions run in parallel (one per thread).", DefaultValueFactory = _ => 1 };
        var command = new Command("eval", "Top-1 accuracy of a classifier over a labelled IDX dataset, each image preprocessed " +
            "as the model's `preprocess` metadata states.")
        {
            model, images, labels, limit, threads,
        };
        command.SetAction(pr => Run(pr.GetRequiredValue(model), pr.GetRequiredValue(images), pr.GetRequiredValue(labels),
            pr.GetValue(limit), Math.Max(1, pr.GetValue(threads)), new CliOutput(pr.InvocationConfiguration.Output)));
        return command;
    }

    private static int Run(string model, string images, string labels, int limit, int threads, CliOutput output)
    {
        long start = Stopwatch.GetTimestamp();
        Top1Result r = ClassifierEvaluator.Top1(File.ReadAllBytes(model), File.ReadAllBytes(images), File.ReadAllBytes(labels), limit, threads);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"top-1: {r.Correct}/{r.Total} = {100 * r.Accuracy:F2}% ({seconds:F1} s, {threads} thread(s))"), "bold");
        return 0;
    }
}
