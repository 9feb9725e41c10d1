using System.Diagnostics;
using EdgeCnn.Converter.Quantization;
using EdgeCnn.Converter.Reports;
using EdgeCnn.Converter.Tests.Quantization;
using EdgeCnn.Vision.Imaging;

namespace EdgeCnn.Converter.Tests.Reports;

/// <summary>
/// The HTML report opened in headless Chromium (Debian's `chromium`, which `bash tests/run` installs): the screenshot must
/// show each chart drawn in its panel, in the colours the report uses, not merely a file that exists.
/// </summary>
public sealed class ReportScreenshotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-report-shot").FullName;

    [Fact]
    public async Task Charts_render_in_headless_chromium()
    {
        string chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Debian's chromium is not installed: run the suite with `bash tests/run`, which installs it");
        Int8Result r = Int8Conversion.Convert(QuantTestModels.SmallCnn(), QuantTestModels.Samples(16, 192),
            new Int8Options { Threads = 1, MeasureSamples = 4, KeepFloat = ["add"] });
        var report = QuantizationReport.Create("small.onnx", 40_000, 30_000, r, new Top1Report("set", 100, 91, 90), ["probabilities"]);
        string html = Path.Combine(_dir, "report.html"), png = Path.Combine(_dir, "shot.png");
        File.WriteAllText(html, ReportHtml.Write(report));

        var psi = new ProcessStartInfo(chromium)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
            $"--user-data-dir={Path.Combine(_dir, "profile")}", "--window-size=1000,1400", $"--screenshot={png}", new Uri(html).AbsoluteUri })
        {
            psi.ArgumentList.Add(a);
        }

        using (Process p = Process.Start(psi)!)
        {
            Task<string> err = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await p.WaitForExitAsync(timeout.Token);
            Assert.True(File.Exists(png), $"chromium wrote no screenshot (exit {p.ExitCode}): {await err}");
        }

        DecodedImage shot = ImageDecoder.DecodeFile(png);
        Assert.True(shot.Width >= 960 && shot.Height >= 1300, $"screenshot {shot.Width}x{shot.Height}");
        int header = ReportHtml.HeaderHeight, panel = ReportHtml.PanelHeight;

        // Panel 0: SQNR bars, int8 layers blue and the kept Add orange; panel 1: cosine bars; panel 2: ranges (observed
        // green, chosen blue); panel 3: size and top-1 bars.
        AssertColour(shot, ReportHtml.Int8Colour, header, header + panel, 200, "SQNR chart, int8 bars");
        AssertColour(shot, ReportHtml.Fp32Colour, header, header + panel, 50, "SQNR chart, the fp32 (kept) layer's bar");
        AssertColour(shot, ReportHtml.Int8Colour, header + panel, header + (2 * panel), 200, "cosine chart");
        AssertColour(shot, ReportHtml.ObservedColour, header + (2 * panel), header + (3 * panel), 100, "range chart, observed ranges");
        AssertColour(shot, ReportHtml.Int8Colour, header + (2 * panel), header + (3 * panel), 100, "range chart, chosen ranges");
        AssertColour(shot, ReportHtml.Int8Colour, header + (3 * panel), header + (4 * panel), 1000, "size and top-1 chart");
        AssertColour(shot, ReportHtml.Int8Colour, 0, header, 0, "header (no chart there)", atMost: true);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>At least (or at most) <paramref name="count"/> pixels of the colour in rows [top, bottom).</summary>
    private static void AssertColour(DecodedImage img, string hex, int top, int bottom, int count, string what, bool atMost = false)
    {
        byte r = Convert.ToByte(hex[1..3], 16), g = Convert.ToByte(hex[3..5], 16), b = Convert.ToByte(hex[5..7], 16);
        int found = 0;
        for (int y = top; y < Math.Min(bottom, img.Height); y++)
        {
            for (int x = 0; x < img.Width; x++)
            {
                int i = ((y * img.Width) + x) * img.Channels;
                if (img.Channels >= 3 && Math.Abs(img.Pixels[i] - r) <= 2 && Math.Abs(img.Pixels[i + 1] - g) <= 2 && Math.Abs(img.Pixels[i + 2] - b) <= 2)
                {
                    found++;
                }
            }
        }

        Assert.True(atMost ? found <= count : found >= count, $"{what}: {found} pixels of {hex} in rows {top}..{bottom} ({(atMost ? "at most" : "at least")} {count} expected)");
    }
}
