using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Quantize (fp32 -> int8) and per-tensor Dequantize (int8 -> fp32) over Vector256 and Vector128, bit-exact with
/// QuantMath / QuantizeKernels: the same IEEE operations in the same order (x / s divided, not multiplied by 1 / s;
/// round half to even; + z_y in fp32; clamp; NaN gives the zero point), and for Dequantize (float)(q - z) * s. The last
/// elements that do not fill a vector go through the reference's scalar functions.
/// </summary>
public static unsafe class S8QuantizeVector
{
    public static void Quantize256(float* x, sbyte* y, int count, float scale, int zeroPoint)
    {
        Vector256<float> s = Vector256.Create(scale), z = Vector256.Create((float)zeroPoint);
        Vector256<float> nanValue = Vector256.Create((float)Math.Clamp(zeroPoint, -128, 127));
        Vector256<float> lo = Vector256.Create(-128f), hi = Vector256.Create(127f);
        int i = 0;
        for (; i + 32 <= count; i += 32)
        {
            Vector256<int> q0 = One(Vector256.Load(x + i)), q1 = One(Vector256.Load(x + i + 8));
            Vector256<int> q2 = One(Vector256.Load(x + i + 16)), q3 = One(Vector256.Load(x + i + 24));
            Vector256.Narrow(Vector256.Narrow(q0, q1), Vector256.Narrow(q2, q3)).Store(y + i);
        }

        for (; i < count; i++)
        {
            y[i] = QuantMath.QuantizeToInt8(x[i], scale, zeroPoint);
        }

        Vector256<int> One(Vector256<float> v)
        {
            Vector256<float> r = Vector256.Round(v / s) + z;
            Vector256<float> clamped = Vector256.Min(Vector256.Max(r, lo), hi);
            return Vector256.ConvertToInt32(Vector256.ConditionalSelect(Vector256.Equals(r, r), clamped, nanValue));
        }
    }

    public static void Quantize128(float* x, sbyte* y, int count, float scale, int zeroPoint)
    {
        Vector128<float> s = Vector128.Create(scale), z = Vector128.Create((float)zeroPoint);
        Vector128<float> nanValue = Vector128.Create((float)Math.Clamp(zeroPoint, -128, 127));
        Vector128<float> lo = Vector128.Create(-128f), hi = Vector128.Create(127f);
        int i = 0;
        for (; i + 16 <= count; i += 16)
        {
            Vector128<int> q0 = One(Vector128.Load(x + i)), q1 = One(Vector128.Load(x + i + 4));
            Vector128<int> q2 = One(Vector128.Load(x + i + 8)), q3 = One(Vector128.Load(x + i + 12));
            Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).Store(y + i);
        }

        for (; i < count; i++)
        {
            y[i] = QuantMath.QuantizeToInt8(x[i], scale, zeroPoint);
        }

        Vector128<int> One(Vector128<float> v)
        {
            Vector128<float> r = Vector128.Round(v / s) + z;
            Vector128<float> clamped = Vector128.Min(Vector128.Max(r, lo), hi);
            return Vector128.ConvertToInt32(Vector128.ConditionalSelect(Vector128.Equals(r, r), clamped, nanValue));
        }
    }

    public static void Dequantize256(sbyte* q, float* y, int count, float scale, int zeroPoint)
    {
        Vector256<float> s = Vector256.Create(scale);
        Vector256<int> z = Vector256.Create(zeroPoint);
        int i = 0;
        for (; i + 16 <= count; i += 16)
        {
            Vector256<short> w = Vector256.WidenLower(Vector128.Load(q + i).ToVector256Unsafe());
            (Vector256<int> a, Vector256<int> b) = Vector256.Widen(w);
            (Vector256.ConvertToSingle(a - z) * s).Store(y + i);
            (Vector256.ConvertToSingle(b - z) * s).Store(y + i + 8);
        }

        for (; i < count; i++)
        {
            y[i] = ((long)q[i] - zeroPoint) * scale;
        }
    }

    public static void Dequantize128(sbyte* q, float* y, int count, float scale, int zeroPoint)
    {
        Vector128<float> s = Vector128.Create(scale);
        Vector128<int> z = Vector128.Create(zeroPoint);
        int i = 0;
        for (; i + 8 <= count; i += 8)
        {
            Vector128<short> w = Vector128.WidenLower(Vector128.CreateScalar(*(long*)(q + i)).AsSByte());
            (Vector128<int> a, Vector128<int> b) = Vector128.Widen(w);
            (Vector128.ConvertToSingle(a - z) * s).Store(y + i);
            (Vector128.ConvertToSingle(b - z) * s).Store(y + i + 4);
        }

        for (; i < count; i++)
        {
            y[i] = ((long)q[i] - zeroPoint) * scale;
        }
    }
}
