using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Tests.TestSupport;

/// <summary>Builds a one-output model, runs it through file bytes and a planned session, returns the output.</summary>
public static class Run
{
    public static float[] Float(ModelBuilder b, params float[][] inputs)
    {
        using InferenceSession s = b.BuildSession();
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].CopyTo(s.Input<float>(i));
        }

        s.Run();
        return s.Output<float>(0).ToArray();
    }

    public static sbyte[] Int8(ModelBuilder b, params sbyte[][] inputs)
    {
        using InferenceSession s = b.BuildSession();
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].CopyTo(s.Input<sbyte>(i));
        }

        s.Run();
        return s.Output<sbyte>(0).ToArray();
    }
}
