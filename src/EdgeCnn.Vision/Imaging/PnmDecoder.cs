namespace EdgeCnn.Vision.Imaging;

/// <summary>
/// Netpbm decoder: P1/P4 (PBM bitmap, plain/raw), P2/P5 (PGM grey), P3/P6 (PPM RGB). Header fields are separated by whitespace
/// and '#' comments (to the end of the line); a raw raster starts after exactly one whitespace byte. maxval is 1..65535;
/// samples are scaled to 0..255 as round(v * 255 / maxval) (ties cannot occur for odd maxval, and round up for even);
/// raw samples are 2 bytes big-endian when maxval > 255. PBM 1 is black (0) and 0 is white (255). Bytes after the first
/// image (a second image of a multi-image file) are ignored.
/// </summary>
public static class PnmDecoder
{
    public static bool HasSignature(ReadOnlySpan<byte> file) => file.Length >= 2 && file[0] == 'P' && file[1] is >= (byte)'1' and <= (byte)'6';

    /// <exception cref="ImageFormatException">The file is not PNM, is truncated or corrupt, or is over the pixel cap.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> file)
    {
        if (!HasSignature(file))
        {
            throw new ImageFormatException(0, "PNM", "the file does not start with a Netpbm magic number P1..P6");
        }

        int kind = file[1] - '0';
        string format = kind switch { 1 or 4 => "PBM", 2 or 5 => "PGM", _ => "PPM" };
        bool plain = kind <= 3;
        int pos = 2;
        if (pos >= file.Length || !IsSpace(file[pos]) && file[pos] != '#')
        {
            throw new ImageFormatException(pos, format, $"the magic number P{kind} must be followed by whitespace");
        }

        int width = HeaderNumber(file, ref pos, format, "width", 1, int.MaxValue);
        int height = HeaderNumber(file, ref pos, format, "height", 1, int.MaxValue);
        if ((long)width * height > DecodedImage.MaxPixels)
        {
            throw new ImageFormatException(
                pos, format, $"{width}x{height} is {(long)width * height} pixels, over the decoder's cap of {DecodedImage.MaxPixels} (2^26) pixels");
        }

        int maxval = kind is 1 or 4 ? 1 : HeaderNumber(file, ref pos, format, "maxval", 1, 65535);
        int channels = kind is 3 or 6 ? 3 : 1;
        long samples = (long)width * height * channels;
        if (plain)
        {
            // Each plain sample takes at least one byte (a PBM digit) or two (a digit and a separator): refuse a file too short
            // to hold them before allocating the image.
            long least = kind == 1 ? samples : (2 * samples) - 1;
            if (file.Length - pos < least)
            {
                throw new ImageFormatException(pos, format, $"{samples} samples need at least {least} bytes, the file has {file.Length - pos} after the header: truncated");
            }

            var pixels = new byte[samples];
            ReadPlain(file, pos, kind == 1, maxval, pixels, format);
            return new DecodedImage(width, height, channels, pixels);
        }
        else
        {
            // Exactly one whitespace byte ends the header of a raw file; the raster follows it.
            if (pos >= file.Length || !IsSpace(file[pos]))
            {
                throw new ImageFormatException(pos, format, "the header must end with one whitespace byte before the raster: truncated or corrupt");
            }

            long rowBytes = kind == 4 ? (width + 7L) / 8 : (long)width * channels * (maxval > 255 ? 2 : 1);
            if (file.Length - pos - 1 < rowBytes * height)
            {
                throw new ImageFormatException(
                    pos + 1, format, $"the raster needs {rowBytes * height} bytes, the file has {file.Length - pos - 1} after the header: truncated");
            }

            var pixels = new byte[samples];
            ReadRaw(file.Slice(pos + 1, (int)(rowBytes * height)), pos + 1, kind == 4, width, height, (int)rowBytes, maxval, pixels, format);
            return new DecodedImage(width, height, channels, pixels);
        }
    }

    private static void ReadPlain(ReadOnlySpan<byte> file, int pos, bool bitmap, int maxval, byte[] pixels, string format)
    {
        for (int i = 0; i < pixels.Length; i++)
        {
            if (bitmap)
            {
                // Plain PBM digits need no separators: "0110" is four pixels.
                SkipSpaceAndComments(file, ref pos);
                if (pos >= file.Length)
                {
                    throw new ImageFormatException(pos, format, $"the file ends after {i} of {pixels.Length} pixels: truncated");
                }

                if (file[pos] is not ((byte)'0' or (byte)'1'))
                {
                    throw new ImageFormatException(pos, format, $"pixel {i}: '{(char)file[pos]}' is not a bit (0 or 1)");
                }

                pixels[i] = file[pos] == '1' ? (byte)0 : (byte)255;
                pos++;
            }
            else
            {
                int v = HeaderNumber(file, ref pos, format, $"sample {i}", 0, maxval);
                pixels[i] = Scale(v, maxval);
            }
        }
    }

    private static void ReadRaw(ReadOnlySpan<byte> raster, int pos, bool bitmap, int width, int height, int rowBytes, int maxval, byte[] pixels, string format)
    {
        int channels = pixels.Length / width / height;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = raster.Slice(y * rowBytes, rowBytes);
            int rowSamples = width * channels;
            for (int s = 0; s < rowSamples; s++)
            {
                int v;
                if (bitmap)
                {
                    pixels[(y * rowSamples) + s] = ((row[s >> 3] >> (7 - (s & 7))) & 1) != 0 ? (byte)0 : (byte)255;
                    continue;
                }

                v = maxval > 255 ? (row[2 * s] << 8) | row[(2 * s) + 1] : row[s];
                if (v > maxval)
                {
                    long at = pos + ((long)y * rowBytes) + (maxval > 255 ? 2 * s : s);
                    throw new ImageFormatException(at, format, $"sample {v} exceeds maxval {maxval}");
                }

                pixels[(y * rowSamples) + s] = Scale(v, maxval);
            }
        }
    }

    private static byte Scale(int v, int maxval) => maxval == 255 ? (byte)v : (byte)((((long)v * 255) + (maxval / 2)) / maxval);

    /// <summary>Reads one unsigned decimal after whitespace and comments and checks it against [min, max].</summary>
    private static int HeaderNumber(ReadOnlySpan<byte> file, ref int pos, string format, string field, int min, int max)
    {
        SkipSpaceAndComments(file, ref pos);
        int start = pos;
        long value = 0;
        while (pos < file.Length && file[pos] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (file[pos] - '0');
            if (value > max)
            {
                throw new ImageFormatException(start, format, $"{field} is larger than {max}");
            }

            pos++;
        }

        if (pos == start)
        {
            string found = pos >= file.Length ? "the end of the file (truncated)" : $"byte 0x{file[pos]:X2}";
            throw new ImageFormatException(start, format, $"{field} must be a decimal number, found {found}");
        }

        if (pos < file.Length && !IsSpace(file[pos]) && file[pos] != '#')
        {
            throw new ImageFormatException(pos, format, $"{field} must be followed by whitespace, found byte 0x{file[pos]:X2}");
        }

        if (value < min)
        {
            throw new ImageFormatException(start, format, $"{field} is {value}, must be {min}..{max}");
        }

        return (int)value;
    }

    private static void SkipSpaceAndComments(ReadOnlySpan<byte> file, ref int pos)
    {
        while (pos < file.Length)
        {
            if (IsSpace(file[pos]))
            {
                pos++;
            }
            else if (file[pos] == '#')
            {
                while (pos < file.Length && file[pos] is not ((byte)'\n' or (byte)'\r'))
                {
                    pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;
}
