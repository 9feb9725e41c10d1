using System.Text.Json;

namespace EdgeCnn.App.Pipeline;

/// <summary>Property names of the JSON lines, encoded once so writing a line allocates nothing.</summary>
internal static class JsonNames
{
    public static readonly JsonEncodedText Event = JsonEncodedText.Encode("event");
    public static readonly JsonEncodedText Frame = JsonEncodedText.Encode("frame");
    public static readonly JsonEncodedText TimeS = JsonEncodedText.Encode("t");
    public static readonly JsonEncodedText Top = JsonEncodedText.Encode("top");
    public static readonly JsonEncodedText Detections = JsonEncodedText.Encode("detections");
    public static readonly JsonEncodedText Label = JsonEncodedText.Encode("label");
    public static readonly JsonEncodedText Truth = JsonEncodedText.Encode("truth");
    public static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
    public static readonly JsonEncodedText Box = JsonEncodedText.Encode("box");
    public static readonly JsonEncodedText LatencyMs = JsonEncodedText.Encode("latencyMs");
    public static readonly JsonEncodedText Line = JsonEncodedText.Encode("line");
    public static readonly JsonEncodedText Chip = JsonEncodedText.Encode("chip");
    public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    public static readonly JsonEncodedText LineEvent = JsonEncodedText.Encode("line");
}
