using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Reruns every kernel test (Category=Kernels) in a child process with one instruction-set family switched off through the
/// runtime's DOTNET_Enable* switches, so each dispatch path runs on this machine: AVX-512 off, AVX-VNNI off, AVX2 off (the
/// Vector128 path), all hardware intrinsics off (the reference path). The child's IsaSelectionReport writes which ISA flags it
/// had and which kernel Plan chose; this test then proves the switch took effect and the expected path was selected.
/// On a host without AVX-512 (this project's AMD EPYC build machine) the AVX-512 child equals the default run; Vector512
/// kernels are still executed there (emulated) because the kernel tests force every row that can execute.
/// </summary>
public class IsaPathTests
{
    public static TheoryData<string> Switches() => new() { "EnableAVX512", "EnableAVXVNNI", "EnableAVX2", "EnableHWIntrinsic" };

    [Theory]
    [MemberData(nameof(Switches))]
    public async Task Kernel_tests_pass_with_the_instruction_set_switched_off(string knob)
    {
        string report = Path.Combine(Path.GetTempPath(), $"edgecnn-isa-{knob}-{Environment.ProcessId}.txt");
        File.Delete(report);
        string assembly = typeof(IsaPathTests).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["test", assembly, "--filter", "Category=Kernels", "--nologo"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_" + knob] = "0";
        start.Environment[IsaSelectionReport.ReportVariable] = report;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process child = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        Task<string> stderr = child.StandardError.ReadToEndAsync(timeout.Token);
        string stdout = await child.StandardOutput.ReadToEndAsync(timeout.Token);
        await child.WaitForExitAsync(timeout.Token);
        string output = stdout + await stderr;
        Match summary = Regex.Match(output, @"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)", RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));
        Assert.True(child.ExitCode == 0 && summary.Success && string.Equals(summary.Groups["failed"].Value, "0", StringComparison.Ordinal),
            $"DOTNET_{knob}=0: kernel tests failed (exit {child.ExitCode}):\n{output}");
        Assert.True(int.Parse(summary.Groups["passed"].Value, CultureInfo.InvariantCulture) > 0, $"DOTNET_{knob}=0: no kernel test ran:\n{output}");

        Dictionary<string, string> seen = File.ReadAllLines(report).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        File.Delete(report);
        var available = (IsaRequirement)int.Parse(seen["available"], CultureInfo.InvariantCulture);
        IsaRequirement off = knob switch
        {
            "EnableAVX512" => IsaRequirement.Vector512 | IsaRequirement.Avx512F | IsaRequirement.Avx512BW,
            "EnableAVXVNNI" => IsaRequirement.AvxVnni,
            "EnableAVX2" => IsaRequirement.Vector256 | IsaRequirement.Avx2,
            _ => IsaSupport.Portable | IsaRequirement.Avx2 | IsaRequirement.Fma | IsaRequirement.Avx512F | IsaRequirement.AvxVnni,
        };
        Assert.True((available & off) == IsaRequirement.None,
            $"DOTNET_{knob}=0 did not take effect: the child still had {IsaSupport.Describe(available & off)}");

        foreach ((string probe, string kernel) in seen.Where(p => !string.Equals(p.Key, "available", StringComparison.Ordinal)).Select(p => (p.Key, p.Value)))
        {
            string context = $"DOTNET_{knob}=0, {probe}: chose {kernel} with ISA {IsaSupport.Describe(available)}";
            if (kernel.EndsWith("-ref", StringComparison.Ordinal))
            {
                // The reference may only win when no optimized row of the probe's op could run in the child.
                continue;
            }

            KernelInfo row = KernelTable.Find(kernel);
            Assert.True((row.Isa & ~available) == IsaRequirement.None, $"{context}, which needs {IsaSupport.Describe(row.Isa)}");
            Assert.True((row.Isa & off) == IsaRequirement.None, $"{context}: a switched-off path");
        }

        string Expect(string probe) => seen.TryGetValue(probe, out string? k) ? k : throw new KeyNotFoundException($"the child reported no {probe}");
        switch (knob)
        {
            case "EnableAVX2" when Vector128IsAccelerated():
                Assert.EndsWith("-v128", Expect("f32-conv3x3"), StringComparison.Ordinal);
                Assert.Equal("f32-conv-gemmrows-6x8-minmax-v128", Expect("f32-conv5x5-c1"));
                Assert.Equal("s8-conv-gemm-4x8c4-minmax-v128", Expect("s8-conv3x3"));
                Assert.Equal("s8-conv-gemm-4x8c4-minmax-v128", Expect("s8-conv3x3-c3"));
                Assert.Equal("s8-dense-gemm-4x8c4-minmax-v128", Expect("s8-dense-m1"));
                Assert.Equal("s8-conv-dw-3x3-minmax-v128", Expect("s8-dw3x3"));
                Assert.Equal("s8-conv-dw-minmax-v128", Expect("s8-dw5x5"));
                Assert.Equal("f32-transpose-blocked-scalar", Expect("f32-transpose"));
                Assert.Equal("f32-dense-gemv-1x8-minmax-v128", Expect("f32-dense-m1"));
                break;
            case "EnableAVXVNNI" when System.Runtime.Intrinsics.X86.Avx2.IsSupported:
                Assert.Equal("s8-conv-gemmrows-6x16c2-minmax-avx2", Expect("s8-conv3x3-c3"));
                break;
            case "EnableHWIntrinsic":
                Assert.EndsWith("-ref", Expect("f32-conv3x3"), StringComparison.Ordinal);
                Assert.EndsWith("-ref", Expect("f32-dense"), StringComparison.Ordinal);
                Assert.EndsWith("-ref", Expect("s8-conv3x3"), StringComparison.Ordinal);
                Assert.EndsWith("-ref", Expect("s8-conv3x3-c3"), StringComparison.Ordinal);
                Assert.EndsWith("-ref", Expect("s8-dw3x3"), StringComparison.Ordinal);
                Assert.Equal("f32-transpose-blocked-scalar", Expect("f32-transpose")); // scalar: needs no intrinsics
                Assert.Equal("s8-transpose-blocked-scalar", Expect("s8-transpose"));
                Assert.Equal("f32-pad-constant-rows-scalar", Expect("f32-pad"));
                Assert.Equal("f32-concat-rows-scalar", Expect("f32-concat"));
                break;
        }
    }

    private static bool Vector128IsAccelerated() => System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated;
}
