namespace EdgeCnn.Vision.Postprocessing;

/// <summary>A detected object: corners normalized to the model input (0..1), class and score.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct Detection(float X1, float Y1, float X2, float Y2, float Score, int Class)
{
    public float Area => Math.Max(0f, X2 - X1) * Math.Max(0f, Y2 - Y1);

    /// <summary>Intersection over union; 0 when either box is empty.</summary>
    public float IoU(in Detection other)
    {
        float w = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        float h = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (w <= 0f || h <= 0f)
        {
            return 0f;
        }

        float inter = w * h;
        float union = Area + other.Area - inter;
        return union > 0f ? inter / union : 0f;
    }
}
