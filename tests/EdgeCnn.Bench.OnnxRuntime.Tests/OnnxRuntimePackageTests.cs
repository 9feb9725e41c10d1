using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace EdgeCnn.Bench.OnnxRuntime.Tests;

/// <summary>How the library is found in and extracted from an onnxruntime-node tarball, on small synthetic tarballs.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the binding fetches Linux libraries; the npm stand-ins are sh scripts
public sealed class OnnxRuntimePackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-ortpkg-").FullName;

    private static string Arch => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Extracts_only_this_architectures_library()
    {
        string other = string.Equals(Arch, "x64", StringComparison.Ordinal) ? "arm64" : "x64";
        string tgz = Tarball(
            ("package/package.json", "{}"u8.ToArray()),
            ($"package/bin/napi-v6/linux/{other}/libonnxruntime.so.1", "wrong arch"u8.ToArray()),
            ($"package/bin/napi-v6/linux/{Arch}/libonnxruntime.so.1.dbg", "wrong file"u8.ToArray()),
            ($"package/bin/napi-v6/linux/{Arch}/libonnxruntime.so.1", "the library"u8.ToArray()));
        string dest = OnnxRuntimePackage.CachedLibraryPath(_dir);
        OnnxRuntimePackage.ExtractLibrary(tgz, dest);
        Assert.Equal("the library"u8.ToArray(), File.ReadAllBytes(dest));
        Assert.Equal(dest, OnnxRuntimePackage.Fetch(_dir)); // cached: no npm call
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(dest)!, "*.tmp"));
    }

    [Fact]
    public void A_tarball_without_the_library_is_refused_by_name()
    {
        string tgz = Tarball(("package/bin/napi-v6/darwin/arm64/libonnxruntime.1.dylib", [1, 2, 3]));
        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntimePackage.ExtractLibrary(tgz, Path.Combine(_dir, "lib")));
        Assert.Contains($"linux/{Arch}/libonnxruntime.so.1", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "lib")));
    }

    [Fact]
    public void A_corrupt_tarball_is_refused_with_its_path()
    {
        string tgz = Path.Combine(_dir, "broken.tgz");
        File.WriteAllBytes(tgz, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad]);
        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntimePackage.ExtractLibrary(tgz, Path.Combine(_dir, "lib")));
        Assert.Contains(tgz, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_library_path_that_does_not_exist_is_named()
    {
        string missing = Path.Combine(_dir, "libonnxruntime.so.1");
        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntimePackage.Locate(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cache_is_the_repositorys_gitignored_cache_folder()
    {
        string root = OnnxRuntimePackage.FindRepositoryRoot(AppContext.BaseDirectory)!;
        Assert.True(File.Exists(Path.Combine(root, "EdgeCnn.sln")));
        // "/.cache", not "/.cache/": the trailing slash ignores only a directory, and a worktree's .cache symlink got committed
        Assert.Contains("/.cache", File.ReadAllLines(Path.Combine(root, ".gitignore")), StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable(OnnxRuntimePackage.CacheEnvironmentVariable) is null)
        {
            Assert.Equal(Path.Combine(root, ".cache"), OnnxRuntimePackage.DefaultCacheDirectory());
        }

        Assert.Null(OnnxRuntimePackage.FindRepositoryRoot(Path.GetPathRoot(_dir)!));
    }

    [Fact]
    public void An_unreadable_cached_tarball_is_fetched_again_with_npm_pack()
    {
        string good = Tarball(($"package/bin/napi-v6/linux/{Arch}/libonnxruntime.so.1", "fetched again"u8.ToArray()));
        string cache = Path.Combine(_dir, "cache");
        Directory.CreateDirectory(Path.Combine(cache, "npm"));
        File.WriteAllBytes(Path.Combine(cache, "npm", "onnxruntime-node-1.30.0.tgz"), [0x1f, 0x8b, 8, 0, 1, 2, 3]); // interrupted download
        // A stand-in for npm that checks its arguments and "packs" the good tarball into its working directory.
        string npm = Script("fake-npm", $$"""
            [ "$1 $2" = "pack onnxruntime-node@1.30.0" ] || { echo "unexpected arguments: $*" >&2; exit 9; }
            cp '{{good}}' onnxruntime-node-1.30.0.tgz
            """);
        string library = OnnxRuntimePackage.Fetch(cache, log: null, npm: npm);
        Assert.Equal("fetched again"u8.ToArray(), File.ReadAllBytes(library));
    }

    [Fact]
    public void A_failing_or_missing_npm_is_reported_with_its_output()
    {
        string failing = Script("failing-npm", "echo 'npm error 404 Not Found' >&2; exit 1");
        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntimePackage.Fetch(Path.Combine(_dir, "c1"), npm: failing));
        Assert.Contains("exited with code 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("404 Not Found", e.Message, StringComparison.Ordinal);

        string absent = Path.Combine(_dir, "no-such-npm");
        var missing = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntimePackage.Fetch(Path.Combine(_dir, "c2"), npm: absent));
        Assert.Contains(absent + " could not be started", missing.Message, StringComparison.Ordinal);
        Assert.Contains(OnnxRuntimePackage.LibraryEnvironmentVariable, missing.Message, StringComparison.Ordinal);
    }

    private string Script(string name, string body)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private string Tarball(params (string Name, byte[] Data)[] entries)
    {
        string path = Path.Combine(_dir, $"pkg-{Guid.NewGuid():N}.tgz");
        using FileStream file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach ((string name, byte[] data) in entries)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }

        return path;
    }
}
