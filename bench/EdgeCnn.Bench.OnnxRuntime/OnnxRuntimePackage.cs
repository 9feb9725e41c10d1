using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace EdgeCnn.Bench.OnnxRuntime;

/// <summary>
/// Finds libonnxruntime.so.1, fetching it when needed: <c>npm pack onnxruntime-node@1.30.0</c> (npm checks the tarball's
/// integrity; no install script runs) into the cache, then the one library for this machine's architecture is extracted
/// from <c>package/bin/napi-v*/linux/&lt;x64|arm64&gt;/</c>. The cache is the repository's git-ignored <c>.cache/</c>
/// (found by walking up to EdgeCnn.sln), or <c>$EDGECNN_CACHE_DIR</c>, or <c>~/.cache/edgecnn</c> outside a checkout.
/// <c>$EDGECNN_ORT_LIB</c> names a library to use instead. Concurrent callers (test projects run in parallel) serialize
/// on a lock file, so the package is fetched once.
/// </summary>
public static class OnnxRuntimePackage
{
    public const string Version = "1.30.0";
    public const string NpmPackage = "onnxruntime-node";
    public const string LibraryFileName = "libonnxruntime.so.1";
    public const string LibraryEnvironmentVariable = "EDGECNN_ORT_LIB";
    public const string CacheEnvironmentVariable = "EDGECNN_CACHE_DIR";

    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(20);

    /// <summary>The library to load: <paramref name="explicitPath"/>, else $EDGECNN_ORT_LIB, else the cached or fetched one.</summary>
    public static string Locate(string? explicitPath = null, Action<string>? log = null)
    {
        string? given = explicitPath ?? Environment.GetEnvironmentVariable(LibraryEnvironmentVariable);
        if (!string.IsNullOrEmpty(given))
        {
            string full = Path.GetFullPath(given);
            return File.Exists(full)
                ? full
                : throw new OnnxRuntimeException($"ONNX Runtime library '{full}' does not exist"
                    + (explicitPath is null ? $" (from ${LibraryEnvironmentVariable})" : ""));
        }

        return Fetch(DefaultCacheDirectory(), log);
    }

    /// <summary>Where the library for this machine lives under <paramref name="cacheDirectory"/> once fetched.</summary>
    public static string CachedLibraryPath(string cacheDirectory) =>
        Path.Combine(cacheDirectory, "onnxruntime", Version, $"linux-{Architecture()}", LibraryFileName);

    /// <summary>The cached library, fetched with npm first if it is not there yet.</summary>
    public static string Fetch(string cacheDirectory, Action<string>? log = null)
    {
        string library = CachedLibraryPath(cacheDirectory);
        if (File.Exists(library))
        {
            return library;
        }

        Directory.CreateDirectory(cacheDirectory);
        using FileStream gate = AcquireLock(Path.Combine(cacheDirectory, $"{NpmPackage}-{Version}.lock"));
        if (File.Exists(library))
        {
            return library; // another process fetched it while we waited
        }

        string npmDirectory = Path.Combine(cacheDirectory, "npm");
        Directory.CreateDirectory(npmDirectory);
        string tarball = Path.Combine(npmDirectory, $"{NpmPackage}-{Version}.tgz");
        if (!File.Exists(tarball))
        {
            log?.Invoke($"fetching {NpmPackage}@{Version} with npm pack into {npmDirectory} (about 110 MB, once)");
            RunNpmPack(npmDirectory);
            if (!File.Exists(tarball))
            {
                throw new OnnxRuntimeException($"npm pack {NpmPackage}@{Version} succeeded but {tarball} is not there");
            }
        }

        ExtractLibrary(tarball, library);
        log?.Invoke($"extracted {library}");
        return library;
    }

    /// <summary>The repository's .cache/ (or $EDGECNN_CACHE_DIR, or ~/.cache/edgecnn outside a checkout).</summary>
    public static string DefaultCacheDirectory()
    {
        string? env = Environment.GetEnvironmentVariable(CacheEnvironmentVariable);
        if (!string.IsNullOrEmpty(env))
        {
            return Path.GetFullPath(env);
        }

        string? root = FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(Directory.GetCurrentDirectory());
        return root is not null
            ? Path.Combine(root, ".cache")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "edgecnn");
    }

    /// <summary>The nearest directory at or above <paramref name="start"/> holding EdgeCnn.sln, or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EdgeCnn.sln")))
            {
                return d.FullName;
            }
        }

        return null;
    }

    /// <summary>Extracts this machine's library from an onnxruntime-node tarball to <paramref name="destination"/>.</summary>
    public static void ExtractLibrary(string tarball, string destination)
    {
        string arch = Architecture();
        string temp = destination + $".{Environment.ProcessId}.tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        try
        {
            using (FileStream file = File.OpenRead(tarball))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            using (var tar = new TarReader(gzip))
            {
                bool found = false;
                for (TarEntry? entry = tar.GetNextEntry(); entry is not null; entry = tar.GetNextEntry())
                {
                    if (entry.DataStream is not null && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                        && IsLibraryEntry(entry.Name, arch))
                    {
                        entry.ExtractToFile(temp, overwrite: true);
                        found = true;
                        break;
                    }
                }

                if (!found)
                {
                    throw new OnnxRuntimeException($"{tarball} holds no package/bin/napi-v*/linux/{arch}/{LibraryFileName}: not an onnxruntime-node package for linux-{Architecture()}");
                }
            }

            File.Move(temp, destination, overwrite: true);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new OnnxRuntimeException($"{tarball} is not a readable .tgz ({e.Message}); delete it and fetch again", e);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static string Architecture()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new OnnxRuntimeException($"the ONNX Runtime binding loads libonnxruntime.so from {NpmPackage} on Linux only; this is {RuntimeInformation.OSDescription}");
        }

        return RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "x64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            var other => throw new OnnxRuntimeException($"{NpmPackage}@{Version} ships Linux libraries for x64 and arm64, not {other}"),
        };
    }

    /// <summary>True for package/bin/napi-v&lt;N&gt;/linux/&lt;arch&gt;/libonnxruntime.so.1 (optionally under ./).</summary>
    private static bool IsLibraryEntry(string name, string arch)
    {
        const string prefix = "package/bin/napi-v";
        string suffix = $"/linux/{arch}/{LibraryFileName}";
        string n = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
        return n.Length > prefix.Length + suffix.Length && n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(suffix, StringComparison.Ordinal)
            && n[prefix.Length..^suffix.Length].All(char.IsAsciiDigit);
    }

    private static void RunNpmPack(string directory)
    {
        var psi = new ProcessStartInfo("npm")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("pack");
        psi.ArgumentList.Add($"{NpmPackage}@{Version}");
        psi.ArgumentList.Add("--silent");
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new OnnxRuntimeException("npm could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new OnnxRuntimeException($"npm is not on the PATH ({e.Message}): install it (Debian: apt-get install npm) or set "
                + $"{LibraryEnvironmentVariable} to a {LibraryFileName} of ONNX Runtime {Version}", e);
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(NpmTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new OnnxRuntimeException($"npm pack {NpmPackage}@{Version} did not finish within {NpmTimeout.TotalMinutes} minutes (in {directory})");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new OnnxRuntimeException($"npm pack {NpmPackage}@{Version} exited with code {process.ExitCode} (in {directory}): "
                    + $"{stderr.Result.Trim()} {stdout.Result.Trim()}".Trim());
            }
        }
    }

    private static FileStream AcquireLock(string path)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix. The file stays (deleting it on close would let a waiter lock
                // the unlinked inode while a newcomer locks a new file).
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockTimeout)
            {
                Thread.Sleep(250); // another process is fetching; it releases the lock when done
            }
            catch (IOException e)
            {
                throw new OnnxRuntimeException($"waited {LockTimeout.TotalMinutes} minutes for {path}: another process holds it (delete it if none does)", e);
            }
        }
    }
}
