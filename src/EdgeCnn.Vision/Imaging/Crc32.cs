namespace EdgeCnn.Vision.Imaging;

/// <summary>
/// CRC-32 as PNG defines it (ISO 3309 / ITU-T V.42: reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF).
/// System.IO.Hashing is not available to device code, and a 1 KB table is all it takes.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
