using System.Runtime.InteropServices;

namespace EdgeCnn.Vision.Preprocessing;

/// <summary>The part of a source image that is resized to the model input, in source pixels.</summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct CropRegion(int X, int Y, int Width, int Height)
{
    /// <summary>
    /// The region a crop mode selects from a srcWidth x srcHeight source for a dstWidth x dstHeight input. None: the whole
    /// source. Center: the largest centred region with the input's aspect ratio, in whole pixels: when the source is wider,
    /// Width = round(srcHeight * dstWidth / dstHeight) (halves up), X = (srcWidth - Width) / 2 (floor), full height; when it
    /// is taller, the same with the axes swapped; at least 1 pixel. Exact integer arithmetic, so every implementation agrees.
    /// </summary>
    public static CropRegion Of(int srcWidth, int srcHeight, CropMode crop, int dstWidth, int dstHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(srcWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(srcHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dstWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dstHeight);
        if (crop == CropMode.None)
        {
            return new CropRegion(0, 0, srcWidth, srcHeight);
        }

        long wide = (long)srcWidth * dstHeight, tall = (long)srcHeight * dstWidth;
        if (wide > tall)
        {
            // srcHeight * dstWidth / dstHeight < srcWidth here, so the rounded width fits.
            int w = (int)Math.Clamp(((2 * tall) + dstHeight) / (2L * dstHeight), 1, srcWidth);
            return new CropRegion((srcWidth - w) / 2, 0, w, srcHeight);
        }

        if (wide < tall)
        {
            int h = (int)Math.Clamp(((2 * wide) + dstWidth) / (2L * dstWidth), 1, srcHeight);
            return new CropRegion(0, (srcHeight - h) / 2, srcWidth, h);
        }

        return new CropRegion(0, 0, srcWidth, srcHeight);
    }
}
