using System.Globalization;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.App;

/// <summary>Verifies and plans a model file, then prints what the runtime will do with it.</summary>
internal static class InspectCommand
{
    public static int Run(string path, TextWriter output)
    {
        using InferenceSession session = InferenceSession.Load(path);
        var m = session.Model;
        CultureInfo inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"{path}: .ecnn 1.{m.VersionMinor}, {m.FileBytes} bytes, {m.Tensors.Count} tensors, {m.Nodes.Count} nodes"));
        foreach (KeyValuePair<string, string> kv in m.Metadata)
        {
            output.WriteLine($"  metadata {kv.Key} = {kv.Value}");
        }

        for (int k = 0; k < m.Nodes.Count; k++)
        {
            NodeDesc n = m.Nodes[k];
            string ins = string.Join(", ", n.Inputs.Where(i => i >= 0).Select(i => m.Tensors[i].ToString()));
            string outs = string.Join(", ", n.Outputs.Select(o =>
                string.Create(inv, $"{m.Tensors[o]} @arena+{session.Placements[o].ArenaOffset}")));
            output.WriteLine(string.Create(inv, $"  [{k}] {n.Name}: {n.Op} ({session.Kernels[k]?.Name ?? "view"})"));
            output.WriteLine($"        in  {ins}");
            output.WriteLine($"        out {outs}");
            if (n.Attributes.Length > 0)
            {
                output.WriteLine($"        {string.Join(" ", n.Attributes.Select(a => a.ToString()))}");
            }
        }

        output.WriteLine(string.Create(inv, $"arena: {session.ArenaBytes} bytes ({session.Buffers.Count} buffers; most live at once {session.ArenaLowerBound} bytes)"));
        return 0;
    }
}
