using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Tests.Format;

/// <summary>
/// Every truncation and every single-byte change of the golden files is rejected with EcnnFormatException and nothing
/// else. Changes are tried twice: as they are (the digest must catch them) and re-sealed with a fresh digest (then the
/// structural checks must catch them, or the file is still valid and must load, plan and run without fault).
/// </summary>
public class ReaderRobustnessTests
{
    [Theory]
    [MemberData(nameof(GoldenModels.All), MemberType = typeof(GoldenModels))]
    public void Golden_file_round_trips(string name)
    {
        byte[] bytes = GoldenModels.ByName(name);
        using InferenceSession s = InferenceSession.Load(bytes);
        s.Run();
        Assert.NotEmpty(s.Outputs);
    }

    [Theory]
    [MemberData(nameof(GoldenModels.All), MemberType = typeof(GoldenModels))]
    public void Every_truncation_is_rejected(string name)
    {
        byte[] bytes = GoldenModels.ByName(name);
        for (int length = 0; length < bytes.Length; length++)
        {
            EcnnFormatException e = Assert.Throws<EcnnFormatException>(() => EcnnModel.Load(bytes.AsSpan(0, length)).Dispose());
            Assert.False(string.IsNullOrEmpty(e.Rule), $"length {length}: no rule named");
        }
    }

    [Theory]
    [MemberData(nameof(GoldenModels.All), MemberType = typeof(GoldenModels))]
    public void Every_single_byte_flip_is_caught_by_the_digest(string name)
    {
        byte[] bytes = GoldenModels.ByName(name);
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[i] ^= 0x5A;
            EcnnFormatException e = Assert.Throws<EcnnFormatException>(() => EcnnModel.Load(copy).Dispose());
            Assert.True(e.Rule is "digest" or "header.magic" or "header.version" or "header.size" or "header.file-bytes",
                $"byte {i}: rule {e.Rule}");
        }
    }

    [Theory]
    [MemberData(nameof(GoldenModels.All), MemberType = typeof(GoldenModels))]
    public void Every_resealed_byte_change_is_rejected_or_runs_safely(string name)
    {
        byte[] bytes = GoldenModels.ByName(name);
        byte[] flips = [0x01, 0x80, 0xFF];
        int rejected = 0, accepted = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i is >= FormatLayout.DigestOffset and < FormatLayout.DigestOffset + FormatLayout.DigestBytes)
            {
                continue; // the digest field itself is rewritten by sealing
            }

            foreach (byte flip in flips)
            {
                byte[] copy = (byte[])bytes.Clone();
                copy[i] ^= flip;
                ModelWriter.Seal(copy);
                if (TryLoadAndRun(copy, out Exception? other))
                {
                    accepted++;
                }
                else if (other is null)
                {
                    rejected++;
                }
                else
                {
                    Assert.Fail($"byte {i} ^ 0x{flip:X2}: {other.GetType().Name}: {other.Message}");
                }
            }
        }

        // Most bytes are structure; weight and padding bytes may change freely.
        Assert.True(rejected > accepted, $"{rejected} rejected, {accepted} accepted");
    }

    /// <summary>True when the model loads, plans and runs; false with null when it is rejected as it should be.</summary>
    private static bool TryLoadAndRun(byte[] bytes, out Exception? unexpected)
    {
        unexpected = null;
        try
        {
            using InferenceSession s = InferenceSession.Load(bytes);
            s.Run();
            return true;
        }
        catch (EcnnFormatException)
        {
            return false;
        }
#pragma warning disable CA1031 // the test's point is that no other exception type escapes
        catch (Exception e)
#pragma warning restore CA1031
        {
            unexpected = e;
            return false;
        }
    }
}
