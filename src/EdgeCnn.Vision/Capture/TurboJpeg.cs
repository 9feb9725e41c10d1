using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeCnn.Vision.Capture;

/// <summary>
/// JPEG decoding (MJPEG cameras) through libturbojpeg's TurboJPEG API, loaded at run time with dlopen so the binary runs
/// without it; an MJPEG source on a system without it is a clear error naming the package. Decoding writes into the
/// caller's buffer and allocates nothing. One instance per thread (a tjhandle is not thread-safe).
/// </summary>
public sealed unsafe class TurboJpeg : IDisposable
{
    public const string Package = "libturbojpeg0 (Debian / Raspberry Pi OS: apt install libturbojpeg0)";
    private const int PixelFormatRgb = 0;  // TJPF_RGB
    private const int PixelFormatGray = 6; // TJPF_GRAY
    private const int TjErrWarning = 0;    // TJERR_WARNING (tjGetErrorCode)
    private static readonly string[] s_names = ["libturbojpeg.so.0", "libturbojpeg.so"];

    private readonly nint _library;
    private readonly delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int> _decompressHeader3;
    private readonly delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int> _decompress2;
    private readonly delegate* unmanaged<nint, byte*> _getErrorStr2;
    private readonly delegate* unmanaged<nint, int> _getErrorCode;
    private readonly delegate* unmanaged<nint, int> _destroy;
    private readonly delegate* unmanaged<nint, byte*, int, int, int, int, byte**, nuint*, int, int, int, int> _compress2;
    private readonly delegate* unmanaged<byte*, void> _free;
    private nint _decompressor;
    private nint _compressor;

    private TurboJpeg(nint library)
    {
        _library = library;
        _decompressHeader3 = (delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int>)Export("tjDecompressHeader3");
        _decompress2 = (delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int>)Export("tjDecompress2");
        _getErrorStr2 = (delegate* unmanaged<nint, byte*>)Export("tjGetErrorStr2");
        _getErrorCode = (delegate* unmanaged<nint, int>)Export("tjGetErrorCode");
        _destroy = (delegate* unmanaged<nint, int>)Export("tjDestroy");
        _compress2 = (delegate* unmanaged<nint, byte*, int, int, int, int, byte**, nuint*, int, int, int, int>)Export("tjCompress2");
        _free = (delegate* unmanaged<byte*, void>)Export("tjFree");
        var init = (delegate* unmanaged<nint>)Export("tjInitDecompress");
        _decompressor = init();
        if (_decompressor == 0)
        {
            throw new InvalidOperationException("libturbojpeg: tjInitDecompress failed");
        }
    }

    /// <summary>Whether libturbojpeg can be loaded here.</summary>
    public static bool IsAvailable
    {
        get
        {
            nint lib = Load();
            if (lib == 0)
            {
                return false;
            }

            NativeLibrary.Free(lib);
            return true;
        }
    }

    /// <summary>Loads libturbojpeg; throws naming the package when it is not installed.</summary>
    public static TurboJpeg Open()
    {
        nint lib = Load();
        return lib != 0 ? new TurboJpeg(lib) : throw new DllNotFoundException($"MJPEG frames need libturbojpeg, which is not installed: {Package}");
    }

    /// <summary>The size of a JPEG image from its header.</summary>
    public (int Width, int Height) ReadSize(ReadOnlySpan<byte> jpeg)
    {
        int w, h, sub, cs;
        fixed (byte* j = jpeg)
        {
            Check(_decompressHeader3(_decompressor, j, (nuint)jpeg.Length, &w, &h, &sub, &cs), "tjDecompressHeader3");
        }

        return (w, h);
    }

    /// <summary>Decodes into packed RGB (3 channels) or grey (1 channel) of exactly width x height.</summary>
    public void Decode(ReadOnlySpan<byte> jpeg, Span<byte> destination, int width, int height, int channels)
    {
        (int w, int h) = ReadSize(jpeg);
        if (w != width || h != height)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"JPEG frame is {w}x{h}; the stream's format is {width}x{height}"));
        }

        if (destination.Length < width * height * channels)
        {
            throw new ArgumentException("destination too small", nameof(destination));
        }

        fixed (byte* j = jpeg)
        fixed (byte* d = destination)
        {
            Check(_decompress2(_decompressor, j, (nuint)jpeg.Length, d, width, width * channels, height, channels == 1 ? PixelFormatGray : PixelFormatRgb, 0), "tjDecompress2");
        }
    }

    /// <summary>Encodes packed RGB or grey to JPEG (4:2:2 for colour, as webcams send): for tests and sample frames.</summary>
    public byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, int quality)
    {
        if (_compressor == 0)
        {
            _compressor = ((delegate* unmanaged<nint>)Export("tjInitCompress"))();
        }

        byte* jpeg = null;
        nuint size = 0;
        fixed (byte* p = pixels)
        {
            const int Subsampling422 = 1, SubsamplingGray = 3;
            Check(_compress2(_compressor, p, width, width * channels, height, channels == 1 ? PixelFormatGray : PixelFormatRgb, &jpeg, &size,
                channels == 1 ? SubsamplingGray : Subsampling422, quality, 0), "tjCompress2", _compressor);
        }

        byte[] result = new ReadOnlySpan<byte>(jpeg, (int)size).ToArray();
        _free(jpeg);
        return result;
    }

    public void Dispose()
    {
        if (_decompressor != 0)
        {
            _destroy(_decompressor);
            _decompressor = 0;
        }

        if (_compressor != 0)
        {
            _destroy(_compressor);
            _compressor = 0;
        }

        NativeLibrary.Free(_library);
    }

    private static nint Load()
    {
        foreach (string name in s_names)
        {
            if (NativeLibrary.TryLoad(name, out nint lib))
            {
                return lib;
            }
        }

        return 0;
    }

    private nint Export(string name) =>
        NativeLibrary.TryGetExport(_library, name, out nint f) ? f : throw new EntryPointNotFoundException($"libturbojpeg has no {name}: too old (TurboJPEG 2.0+ needed)");

    private void Check(int result, string function, nint handle = 0)
    {
        if (result != 0)
        {
            nint h = handle != 0 ? handle : _decompressor;
            byte* message = _getErrorStr2(h);

            // TurboJPEG 2.x returns -1 for warnings too. Stray bytes between markers (cheap webcams send them on every
            // frame) leave the image complete: use it. Every other warning means missing data (a truncated frame decodes
            // with a grey bottom): drop the frame. Compared in place, so such a camera's frames allocate nothing.
            if (_getErrorCode(h) == TjErrWarning
                && MemoryMarshal.CreateReadOnlySpanFromNullTerminated(message).IndexOf("extraneous bytes before marker"u8) >= 0)
            {
                return;
            }

            throw new InvalidDataException($"libturbojpeg {function}: {Marshal.PtrToStringUTF8((nint)message)}");
        }
    }
}
