using System.Globalization;
using System.Text.Json;
using EdgeCnn.Device.Config;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Vision.Postprocessing;

namespace EdgeCnn.App.Pipeline;

/// <summary>
/// Model outputs to results: a classifier's top-k, or an Ultraface-style detector's boxes after decoding and NMS. It also
/// gives each label a score for the rules (a class's probability; the best detection's score). Buffers are made once.
/// </summary>
internal sealed class Postprocessor
{
    private readonly InferenceSession _session;
    private readonly bool _detector;
    private readonly int _topK;
    private readonly float _scoreThreshold;
    private readonly float _iouThreshold;
    private readonly int[] _top;
    private readonly float[] _dequantized;     // classifier scores when the output is int8
    private readonly float[] _labelScores;     // [labels]
    private readonly JsonEncodedText[] _labelText;
    private readonly SsdDecoder? _ssd;
    private readonly Detection[] _detections;
    private readonly int _scoresOutput;
    private readonly int _boxesOutput;
    private int _count;

    public Postprocessor(InferenceSession session, PostprocessConfig config, string origin)
    {
        _session = session;
        _detector = config.Type is "ultraface";
        _scoreThreshold = config.ScoreThreshold;
        _iouThreshold = config.IouThreshold;
        _detections = new Detection[config.MaxDetections];
        if (_detector)
        {
            (_scoresOutput, _boxesOutput) = FindDetectorOutputs(session, origin);
            IReadOnlyList<int> shape = session.Outputs[_scoresOutput].Shape;
            int anchors = shape[^2], classes = shape[^1];
            Labels = classes == 2 ? ["background", "face"] : [.. Enumerable.Range(0, classes).Select(c => c == 0 ? "background" : c.ToString(CultureInfo.InvariantCulture))];
            _ssd = new SsdDecoder(anchors, classes, BoxEncoding.Corners);
            _top = [];
            _dequantized = [];
        }
        else
        {
            SessionTensor output = session.Outputs[0];
            string[] metadata = (session.Model.GetMetadata("labels") ?? string.Empty).Split(',');
            Labels = metadata.Length == output.ElementCount
                ? metadata
                : [.. Enumerable.Range(0, output.ElementCount).Select(c => c.ToString(CultureInfo.InvariantCulture))];
            if (config.TopK > Labels.Length)
            {
                throw new ConfigException(origin, "$.postprocess.topK", string.Create(CultureInfo.InvariantCulture, $"{config.TopK} is more than the model's {Labels.Length} classes"), ConfigFields.For("$.postprocess.topK"));
            }

            _topK = config.TopK;
            _top = new int[_topK];
            _dequantized = output.Type == DataType.Float32 ? [] : new float[output.ElementCount];
        }

        _labelScores = new float[Labels.Length];
        _labelText = [.. Labels.Select(l => JsonEncodedText.Encode(l))];
    }

    public string[] Labels { get; }

    /// <summary>The label's score in the last frame (0 when a detector saw nothing of it).</summary>
    public float Score(int label) => _labelScores[label];

    public int LabelIndex(string label) => Array.IndexOf(Labels, label);

    /// <summary>Reads the outputs of the last Run.</summary>
    public void Process()
    {
        if (_detector)
        {
            _count = _ssd!.Decode(_session.Output<float>(_scoresOutput), _session.Output<float>(_boxesOutput), _scoreThreshold, _iouThreshold, _detections);
            Array.Clear(_labelScores);
            for (int i = 0; i < _count; i++)
            {
                ref float s = ref _labelScores[_detections[i].Class];
                s = Math.Max(s, _detections[i].Score);
            }

            return;
        }

        ReadOnlySpan<float> scores = Scores();
        scores.CopyTo(_labelScores);
        _count = TopK.Select(scores, _top);
    }

    /// <summary>The frame's results as JSON properties: "top" for a classifier, "detections" for a detector.</summary>
    public void Write(Utf8JsonWriter json)
    {
        if (_detector)
        {
            json.WriteStartArray(JsonNames.Detections);
            for (int i = 0; i < _count; i++)
            {
                Detection d = _detections[i];
                json.WriteStartObject();
                json.WriteString(JsonNames.Label, _labelText[d.Class]);
                json.WriteNumber(JsonNames.Score, MathF.Round(d.Score, 4));
                json.WriteStartArray(JsonNames.Box);
                json.WriteNumberValue(MathF.Round(d.X1, 4));
                json.WriteNumberValue(MathF.Round(d.Y1, 4));
                json.WriteNumberValue(MathF.Round(d.X2, 4));
                json.WriteNumberValue(MathF.Round(d.Y2, 4));
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            return;
        }

        json.WriteStartArray(JsonNames.Top);
        for (int i = 0; i < _count; i++)
        {
            json.WriteStartObject();
            json.WriteString(JsonNames.Label, _labelText[_top[i]]);
            json.WriteNumber(JsonNames.Score, MathF.Round(_labelScores[_top[i]], 4));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The best class of the last frame (classifier) or -1.</summary>
    public int Best => !_detector && _count > 0 ? _top[0] : -1;

    private ReadOnlySpan<float> Scores()
    {
        SessionTensor output = _session.Outputs[0];
        if (output.Type == DataType.Float32)
        {
            return _session.Output<float>(0);
        }

        ReadOnlySpan<sbyte> q = _session.Output<sbyte>(0);
        QuantizationInfo quant = output.Desc.Quantization!;
        for (int i = 0; i < q.Length; i++)
        {
            _dequantized[i] = quant.Scale * (q[i] - quant.ZeroPoint);
        }

        return _dequantized;
    }

    /// <summary>
    /// The detector's scores [1, N, classes] and boxes [1, N, 4] outputs: by name first ("box", "score" or "conf" in
    /// it, as Ultraface and most SSD exports name them), then by shape. A model whose shapes alone cannot tell which
    /// output holds the boxes (two fp32 outputs ending in 4, e.g. a 4-class detector) and whose names do not say is
    /// refused rather than guessed.
    /// </summary>
    private static (int Scores, int Boxes) FindDetectorOutputs(InferenceSession session, string origin)
    {
        var candidates = new List<int>();
        for (int i = 0; i < session.Outputs.Count; i++)
        {
            IReadOnlyList<int> s = session.Outputs[i].Shape;
            if (session.Outputs[i].Type == DataType.Float32 && s.Count >= 2 && s[^1] >= 2)
            {
                candidates.Add(i);
            }
        }

        int boxes = Single(candidates, i => NameHas(session, i, "box"));
        int scores = Single(candidates, i => i != boxes && (NameHas(session, i, "score") || NameHas(session, i, "conf")));
        if (boxes < 0)
        {
            boxes = Single(candidates, i => i != scores && session.Outputs[i].Shape[^1] == 4);
        }

        if (scores < 0)
        {
            scores = Single(candidates, i => i != boxes);
        }

        if (scores < 0 || boxes < 0 || session.Outputs[boxes].Shape[^1] != 4 || session.Outputs[scores].Shape[^2] != session.Outputs[boxes].Shape[^2])
        {
            string found = string.Join(", ", Enumerable.Range(0, session.Outputs.Count).Select(i =>
                $"'{session.Outputs[i].Name}' {session.Outputs[i].Type} [{string.Join(", ", session.Outputs[i].Shape)}]"));
            throw new ConfigException(origin, "$.postprocess.type",
                $"cannot tell the model's SSD outputs apart: it needs fp32 scores [1, N, classes] and boxes [1, N, 4] (named with 'score' and 'box' when the shapes alone are ambiguous); the model has {found}",
                ConfigFields.PostprocessTypes + " matching the model");
        }

        return (scores, boxes);
    }

    private static bool NameHas(InferenceSession session, int output, string part) =>
        session.Outputs[output].Name.Contains(part, StringComparison.OrdinalIgnoreCase);

    /// <summary>The one candidate that matches, or -1 when none or several do.</summary>
    private static int Single(List<int> candidates, Func<int, bool> match)
    {
        int found = -1;
        foreach (int i in candidates)
        {
            if (match(i))
            {
                if (found >= 0)
                {
                    return -1;
                }

                found = i;
            }
        }

        return found;
    }
}
