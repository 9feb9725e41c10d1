using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Vision.Frames;

namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// The first stage of the fused preprocessing: pixels [x0, x0 + count) of one source row, converted from the camera's
/// format straight into planar fp32 channel rows (R, G, B; or one grey row), with exactly the integer arithmetic of
/// <see cref="PixelConversionReference"/>. Vector128 throughout so the same code runs on SSE/AVX hosts and on the Pi's NEON;
/// scalar code takes the edges and the tails. No allocation.
/// </summary>
internal static class RowConverter
{
    // pshufb / tbl masks (index >= 16 gives 0). YUYV: 8 pixels in 16 bytes Y0 U0 Y1 V0 Y2 U1 Y3 V1 ...
    private static readonly Vector128<byte> s_yuyvY = Vector128.Create((byte)0, 2, 4, 6, 8, 10, 12, 14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    private static readonly Vector128<byte> s_yuyvU = Vector128.Create((byte)1, 1, 5, 5, 9, 9, 13, 13, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    private static readonly Vector128<byte> s_yuyvV = Vector128.Create((byte)3, 3, 7, 7, 11, 11, 15, 15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);

    // NV12 UV row: U0 V0 U1 V1 ... ; 8 pixels use 4 pairs.
    private static readonly Vector128<byte> s_nv12U = Vector128.Create((byte)0, 0, 2, 2, 4, 4, 6, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    private static readonly Vector128<byte> s_nv12V = Vector128.Create((byte)1, 1, 3, 3, 5, 5, 7, 7, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);

    // RGB24: 4 pixels in 12 of 16 loaded bytes.
    private static readonly Vector128<byte> s_rgb0 = Vector128.Create((byte)0, 3, 6, 9, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    private static readonly Vector128<byte> s_rgb1 = Vector128.Create((byte)1, 4, 7, 10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    private static readonly Vector128<byte> s_rgb2 = Vector128.Create((byte)2, 5, 8, 11, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);

    /// <param name="c0">R (or grey) row, count floats</param>
    /// <param name="c1">G row (colour formats), count floats</param>
    /// <param name="c2">B row (colour formats), count floats</param>
    public static void Convert(ReadOnlySpan<byte> frame, in FrameFormat format, int y, int x0, int count, Span<float> c0, Span<float> c1, Span<float> c2)
    {
        int stride = format.Stride;
        switch (format.PixelFormat)
        {
            case PixelFormat.Grey8:
                Grey(frame.Slice((y * stride) + x0, count), c0[..count]);
                break;
            case PixelFormat.Rgb24:
                Rgb(frame.Slice((y * stride) + (3 * x0), 3 * count), c0[..count], c1[..count], c2[..count]);
                break;
            case PixelFormat.Bgr24:
                Rgb(frame.Slice((y * stride) + (3 * x0), 3 * count), c2[..count], c1[..count], c0[..count]);
                break;
            case PixelFormat.Yuyv:
                Yuyv(frame.Slice(y * stride, stride), x0, count, c0, c1, c2);
                break;
            case PixelFormat.Nv12:
                int uvRow = format.ChromaOffset + ((y / 2) * stride);
                Nv12(frame.Slice(y * stride, format.Width), frame.Slice(uvRow, format.Width), x0, count, c0, c1, c2);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format.PixelFormat, "not an uncompressed pixel format");
        }
    }

    private static void Grey(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int i = 0;
        ref byte s = ref MemoryMarshal.GetReference(src);
        ref float d = ref MemoryMarshal.GetReference(dst);
        for (; i + 16 <= src.Length; i += 16)
        {
            Vector128<byte> v = Vector128.LoadUnsafe(ref s, (nuint)i);
            (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(v);
            StoreWidened(lo, ref d, i);
            StoreWidened(hi, ref d, i + 8);
        }

        for (; i < src.Length; i++)
        {
            dst[i] = src[i];
        }
    }

    private static void Rgb(ReadOnlySpan<byte> src, Span<float> r, Span<float> g, Span<float> b)
    {
        int n = r.Length, x = 0;
        ref byte s = ref MemoryMarshal.GetReference(src);
        for (; (3 * x) + 16 <= src.Length; x += 4)
        {
            Vector128<byte> v = Vector128.LoadUnsafe(ref s, (nuint)(3 * x));
            Store4(Vector128.Shuffle(v, s_rgb0), r, x);
            Store4(Vector128.Shuffle(v, s_rgb1), g, x);
            Store4(Vector128.Shuffle(v, s_rgb2), b, x);
        }

        for (; x < n; x++)
        {
            r[x] = src[3 * x];
            g[x] = src[(3 * x) + 1];
            b[x] = src[(3 * x) + 2];
        }
    }

    private static void Yuyv(ReadOnlySpan<byte> row, int x0, int count, Span<float> r, Span<float> g, Span<float> b)
    {
        int x = x0, end = x0 + count;
        if ((x & 1) != 0)
        {
            YuyvScalar(row, x, x - x0, r, g, b); // odd start: the second pixel of a pair
            x++;
        }

        ref byte s = ref MemoryMarshal.GetReference(row);
        for (; x + 8 <= end && (2 * x) + 16 <= row.Length; x += 8)
        {
            Vector128<byte> v = Vector128.LoadUnsafe(ref s, (nuint)(2 * x));
            Yuv8(Vector128.Shuffle(v, s_yuyvY), Vector128.Shuffle(v, s_yuyvU), Vector128.Shuffle(v, s_yuyvV), r, g, b, x - x0);
        }

        for (; x < end; x++)
        {
            YuyvScalar(row, x, x - x0, r, g, b);
        }
    }

    private static void Nv12(ReadOnlySpan<byte> yRow, ReadOnlySpan<byte> uvRow, int x0, int count, Span<float> r, Span<float> g, Span<float> b)
    {
        int x = x0, end = x0 + count;
        if ((x & 1) != 0)
        {
            YuvScalar(yRow[x], uvRow[x - 1], uvRow[x], x - x0, r, g, b);
            x++;
        }

        ref byte ys = ref MemoryMarshal.GetReference(yRow);
        ref byte uvs = ref MemoryMarshal.GetReference(uvRow);
        for (; x + 16 <= end; x += 8)
        {
            // 16 readable bytes from x in both rows (x + 16 <= end <= width).
            Vector128<byte> yv = Vector128.LoadUnsafe(ref ys, (nuint)x);
            Vector128<byte> uv = Vector128.LoadUnsafe(ref uvs, (nuint)x);
            Yuv8(yv, Vector128.Shuffle(uv, s_nv12U), Vector128.Shuffle(uv, s_nv12V), r, g, b, x - x0);
        }

        for (; x < end; x++)
        {
            int pair = x & ~1;
            YuvScalar(yRow[x], uvRow[pair], uvRow[pair + 1], x - x0, r, g, b);
        }
    }

    /// <summary>8 pixels: Y, U, V in the low 8 bytes of each vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Yuv8(Vector128<byte> y, Vector128<byte> u, Vector128<byte> v, Span<float> r, Span<float> g, Span<float> b, int o)
    {
        Vector128<short> yw = Vector128.WidenLower(y).AsInt16();
        Vector128<short> uw = Vector128.WidenLower(u).AsInt16();
        Vector128<short> vw = Vector128.WidenLower(v).AsInt16();
        (Vector128<int> y0, Vector128<int> y1) = Vector128.Widen(yw);
        (Vector128<int> u0, Vector128<int> u1) = Vector128.Widen(uw);
        (Vector128<int> v0, Vector128<int> v1) = Vector128.Widen(vw);
        Yuv4(y0, u0, v0, r, g, b, o);
        Yuv4(y1, u1, v1, r, g, b, o + 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Yuv4(Vector128<int> y, Vector128<int> u, Vector128<int> v, Span<float> r, Span<float> g, Span<float> b, int o)
    {
        Vector128<int> c = (y - Vector128.Create(16)) * Vector128.Create(298) + Vector128.Create(128);
        Vector128<int> d = u - Vector128.Create(128);
        Vector128<int> e = v - Vector128.Create(128);
        Vector128<int> lo = Vector128<int>.Zero, hi = Vector128.Create(255);
        Vector128<int> rv = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(c + (e * Vector128.Create(409)), 8), lo), hi);
        Vector128<int> gv = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(c - (d * Vector128.Create(100)) - (e * Vector128.Create(208)), 8), lo), hi);
        Vector128<int> bv = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(c + (d * Vector128.Create(516)), 8), lo), hi);
        Vector128.ConvertToSingle(rv).StoreUnsafe(ref MemoryMarshal.GetReference(r), (nuint)o);
        Vector128.ConvertToSingle(gv).StoreUnsafe(ref MemoryMarshal.GetReference(g), (nuint)o);
        Vector128.ConvertToSingle(bv).StoreUnsafe(ref MemoryMarshal.GetReference(b), (nuint)o);
    }

    private static void YuyvScalar(ReadOnlySpan<byte> row, int x, int o, Span<float> r, Span<float> g, Span<float> b)
    {
        int p = 4 * (x / 2);
        YuvScalar(row[p + (2 * (x & 1))], row[p + 1], row[p + 3], o, r, g, b);
    }

    private static void YuvScalar(int y, int u, int v, int o, Span<float> r, Span<float> g, Span<float> b)
    {
        Span<byte> rgb = stackalloc byte[3];
        PixelConversionReference.YuvToRgb(y, u, v, rgb);
        r[o] = rgb[0];
        g[o] = rgb[1];
        b[o] = rgb[2];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreWidened(Vector128<ushort> v, ref float d, int i)
    {
        (Vector128<uint> a, Vector128<uint> b) = Vector128.Widen(v);
        Vector128.ConvertToSingle(a.AsInt32()).StoreUnsafe(ref d, (nuint)i);
        Vector128.ConvertToSingle(b.AsInt32()).StoreUnsafe(ref d, (nuint)(i + 4));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(Vector128<byte> v, Span<float> d, int x)
    {
        Vector128<uint> w = Vector128.WidenLower(Vector128.WidenLower(v));
        if (x + 4 <= d.Length)
        {
            Vector128.ConvertToSingle(w.AsInt32()).StoreUnsafe(ref MemoryMarshal.GetReference(d), (nuint)x);
        }
        else
        {
            for (int k = 0; x + k < d.Length; k++)
            {
                d[x + k] = w[k];
            }
        }
    }
}
