using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeCnn.Bench.SideBySide;

/// <summary>What a results file must say about where and how it was measured.</summary>
internal sealed record MachineInfo(string Cpu, string Flags, int LogicalCores, string LoadAverage, string Commit, string Runtime, string Os)
{
    private static readonly string[] FlagsThatMatter = ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx_vnni", "asimd", "asimddp"];

    public static MachineInfo Read(string? repositoryRoot)
    {
        string cpu = "unknown", flags = "unknown";
        if (File.Exists("/proc/cpuinfo"))
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                string[] kv = line.Split(':', 2, StringSplitOptions.TrimEntries);
                if (kv.Length != 2)
                {
                    continue;
                }

                if (string.Equals(cpu, "unknown", StringComparison.Ordinal) && kv[0] is "model name" or "Model")
                {
                    cpu = kv[1];
                }
                else if (string.Equals(flags, "unknown", StringComparison.Ordinal) && kv[0] is "flags" or "Features")
                {
                    HashSet<string> present = kv[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                    string[] have = FlagsThatMatter.Where(present.Contains).ToArray();
                    string[] lack = FlagsThatMatter.Where(f => !present.Contains(f) && f.StartsWith("avx", StringComparison.Ordinal)).ToArray();
                    flags = string.Join(' ', have) + (lack.Length > 0 ? $" (no {string.Join(", ", lack)})" : "");
                }
            }
        }

        return new MachineInfo(cpu, flags, Environment.ProcessorCount, ReadLoadAverage(), ReadCommit(repositoryRoot),
            RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription);
    }

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown".</summary>
    public static string ReadLoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string ReadCommit(string? root)
    {
        if (root is null)
        {
            return "unknown (not in a checkout)";
        }

        string? head = Git(root, "rev-parse", "HEAD");
        if (head is null)
        {
            return "unknown (git failed)";
        }

        string? status = Git(root, "status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrWhiteSpace(status) ? head : $"{head} + uncommitted changes";
    }

    private static string? Git(string root, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
