using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeCnn.Vision.Tests.Imaging;

/// <summary>Builds PNG files chunk by chunk for the error tests (bitwise CRC-32, independent of the decoder's table).</summary>
internal static class PngChunks
{
    public static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var c = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(c, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, c.AsSpan(4));
        data.CopyTo(c.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + data.Length), Crc(c.AsSpan(4, 4 + data.Length)));
        return c;
    }

    public static byte[] Ihdr(uint width, uint height, byte depth, byte colourType, byte interlace = 0, byte compression = 0, byte filter = 0)
    {
        var d = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(d, width);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(4), height);
        (d[8], d[9], d[10], d[11], d[12]) = (depth, colourType, compression, filter, interlace);
        return Chunk("IHDR", d);
    }

    public static byte[] Idat(params byte[] raw) => Chunk("IDAT", Deflate(raw));

    public static byte[] Deflate(byte[] raw)
    {
        using var m = new MemoryStream();
        using (var z = new ZLibStream(m, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(raw);
        }

        return m.ToArray();
    }

    public static byte[] Iend() => Chunk("IEND", []);

    public static byte[] File(params byte[][] chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }
}
