using EdgeCnn.Converter.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Converter.Onnx;

/// <summary>Reads an .onnx file into the protobuf model, with clear errors for anything that is not a usable ONNX model.</summary>
public static class OnnxModelFile
{
    public static ModelProto Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return Parse(bytes, path);
    }

    public static ModelProto Parse(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxImportException($"{name} is not a valid ONNX protobuf ({e.Message}); is the file truncated?", e);
        }

        if (model.Graph is null || (model.Graph.Node.Count == 0 && model.Graph.Output.Count == 0))
        {
            throw new OnnxImportException($"{name} holds no graph: not an ONNX model (or truncated)");
        }

        if (model.Graph.SparseInitializer.Count > 0)
        {
            throw new OnnxImportException($"{name} has sparse initializers; EdgeCnn reads dense initializers only") { IsUnsupported = true };
        }

        return model;
    }

    /// <summary>The version of the default ONNX operator set ("" or "ai.onnx") the model imports.</summary>
    public static int DefaultOpset(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (OperatorSetIdProto o in model.OpsetImport)
        {
            if (o.Domain is "" or "ai.onnx")
            {
                return checked((int)o.Version);
            }
        }

        // IR version 3+ models must import an opset; older ones implied opset 1.
        if (model.IrVersion < 3)
        {
            return 1;
        }

        string others = string.Join(", ", model.OpsetImport.Select(o => $"'{o.Domain}' {o.Version}"));
        throw others.Length > 0
            ? new OnnxImportException($"the model imports only the operator sets {others}; EdgeCnn converts the default ONNX domain (ai.onnx)")
            { IsUnsupported = true }
            : new OnnxImportException("the model imports no operator set at all (an IR version 3+ model must import one)");
    }
}
