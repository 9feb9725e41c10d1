using System.IO.Compression;

namespace EdgeCnn.Vision.Imaging;

/// <summary>
/// The image data of a PNG: inflate (zlib), undo the per-row filters, place the Adam7 passes, convert samples to 8-bit grey or
/// RGB. Rows are inflated one at a time into two row buffers, so memory is the output image plus two rows however large the
/// decompressed stream claims to be; exactly the bytes the header implies are read, so a decompression bomb cannot run on.
/// </summary>
internal static class PngScanlines
{
    private const string Where = "PNG image data (IDAT)";

    // Adam7 passes: first column, first row, column step, row step (PNG specification, section 8.2).
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
    [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ];

    public static DecodedImage Decode(PngHeader header, byte[]? palette, byte[] compressed, long idatOffset)
    {
        int channels = header.OutputChannels;
        var pixels = new byte[(long)header.Width * header.Height * channels];
        (int X0, int Y0, int Dx, int Dy)[] passes = header.Interlaced ? Adam7 : [(0, 0, 1, 1)];
        int maxRowBytes = RowBytes(header.Width, header.BitsPerPixel);
        var previous = new byte[maxRowBytes];
        var current = new byte[maxRowBytes];
        int filterStride = Math.Max(1, header.BitsPerPixel / 8);
        long consumed = 0;
        Span<byte> filterByte = stackalloc byte[1];

        using var inflater = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
        try
        {
            for (int p = 0; p < passes.Length; p++)
            {
                (int x0, int y0, int dx, int dy) = passes[p];
                int passWidth = (header.Width - x0 + dx - 1) / dx;
                int passHeight = (header.Height - y0 + dy - 1) / dy;
                if (passWidth <= 0 || passHeight <= 0)
                {
                    continue; // an empty pass has no rows and no filter bytes
                }

                int rowBytes = RowBytes(passWidth, header.BitsPerPixel);
                Span<byte> prev = previous.AsSpan(0, rowBytes);
                Span<byte> cur = current.AsSpan(0, rowBytes);
                prev.Clear(); // the row above the first row of each pass is zeros
                for (int r = 0; r < passHeight; r++)
                {
                    ReadExactly(inflater, filterByte, ref consumed, idatOffset);
                    ReadExactly(inflater, cur, ref consumed, idatOffset);
                    Unfilter(filterByte[0], cur, prev, filterStride, p, r, header.Interlaced, idatOffset);
                    Emit(header, palette, cur, pixels, y0 + (r * dy), x0, dx, passWidth, idatOffset);
                    Span<byte> t = prev;
                    prev = cur;
                    cur = t;
                }
            }

            // The stream must end here: reading one more byte also makes zlib check its Adler-32 trailer.
            Span<byte> extra = stackalloc byte[1];
            if (inflater.Read(extra) != 0)
            {
                throw new ImageFormatException(idatOffset, Where, $"the decompressed data is longer than the {consumed} bytes the header's size and format need");
            }
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException(idatOffset, Where, $"the zlib stream is corrupt after {consumed} decompressed bytes: {e.Message}", e);
        }

        return new DecodedImage(header.Width, header.Height, channels, pixels);
    }

    private static int RowBytes(int width, int bitsPerPixel) => checked((int)((((long)width * bitsPerPixel) + 7) / 8));

    private static void ReadExactly(Stream s, Span<byte> into, ref long consumed, long idatOffset)
    {
        int n = 0;
        while (n < into.Length)
        {
            int got = s.Read(into[n..]);
            if (got == 0)
            {
                throw new ImageFormatException(idatOffset, Where, $"the decompressed data ends after {consumed + n} bytes; the header's size and format need more: truncated");
            }

            n += got;
        }

        consumed += n;
    }

    /// <summary>Undoes one row's filter in place (PNG specification, section 9): bpp = bytes per complete pixel, at least 1.</summary>
    private static void Unfilter(byte filter, Span<byte> cur, ReadOnlySpan<byte> prev, int bpp, int pass, int row, bool interlaced, long idatOffset)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1: // Sub
                for (int i = bpp; i < cur.Length; i++)
                {
                    cur[i] += cur[i - bpp];
                }

                break;
            case 2: // Up
                for (int i = 0; i < cur.Length; i++)
                {
                    cur[i] += prev[i];
                }

                break;
            case 3: // Average
                for (int i = 0; i < cur.Length; i++)
                {
                    int left = i >= bpp ? cur[i - bpp] : 0;
                    cur[i] += (byte)((left + prev[i]) >> 1);
                }

                break;
            case 4: // Paeth
                for (int i = 0; i < cur.Length; i++)
                {
                    int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                    cur[i] += (byte)Paeth(a, b, c);
                }

                break;
            default:
                string where = interlaced ? $"Adam7 pass {pass + 1} row {row}" : $"row {row}";
                throw new ImageFormatException(idatOffset, Where, $"{where} has filter type {filter}; only 0..4 exist");
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Converts one unfiltered row of a pass to 8-bit output pixels at columns x0, x0 + dx, ...</summary>
    private static void Emit(PngHeader h, byte[]? palette, ReadOnlySpan<byte> row, byte[] pixels, int y, int x0, int dx, int count, long idatOffset)
    {
        int samples = h.SamplesPerPixel, depth = h.BitDepth, channels = h.OutputChannels;
        int maxSample = (1 << Math.Min(depth, 8)) - 1;
        long rowStart = (long)y * h.Width;
        for (int i = 0; i < count; i++)
        {
            long o = (rowStart + x0 + ((long)i * dx)) * channels;
            if (h.ColourType == 3)
            {
                int index = Sample(row, i, depth);
                if (palette is null || (index * 3) + 2 >= palette.Length)
                {
                    throw new ImageFormatException(
                        idatOffset, Where, $"pixel ({x0 + (i * dx)}, {y}) has palette index {index}, the PLTE has {(palette?.Length ?? 0) / 3} entries");
                }

                pixels[o] = palette[index * 3];
                pixels[o + 1] = palette[(index * 3) + 1];
                pixels[o + 2] = palette[(index * 3) + 2];
                continue;
            }

            // Colour samples come first in every colour type; alpha (if any) is the last sample and is skipped.
            for (int c = 0; c < channels; c++)
            {
                int s = (i * samples) + c;
                pixels[o + c] = depth switch
                {
                    16 => (byte)((((row[2 * s] << 8) | row[(2 * s) + 1]) + 128) / 257), // round(v / 257): v/257 is never a tie
                    8 => row[s],
                    _ => (byte)(Sample(row, s, depth) * 255 / maxSample),
                };
            }
        }
    }

    /// <summary>Sample number s of a row packed at 1, 2, 4 or 8 bits per sample, most significant bits first.</summary>
    private static int Sample(ReadOnlySpan<byte> row, int s, int depth)
    {
        if (depth == 8)
        {
            return row[s];
        }

        int bit = s * depth;
        return (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    }
}
