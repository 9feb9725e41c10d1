using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

/// <summary>How an operator's output relates to its first input's memory.</summary>
public enum OutputAliasing
{
    /// <summary>Output gets its own buffer.</summary>
    None,

    /// <summary>Output is the same bytes as input 0 (Reshape, Flatten, Dropout): no kernel runs.</summary>
    View,

    /// <summary>The kernel may write its output over input 0 when input 0 dies here and has the same size.</summary>
    InPlace,
}

/// <summary>
/// One operator: its rules (Infer: attributes, input types and shapes, output shapes) and its plan step (scratch request,
/// kernel creation). One subclass per op, in Ops/; the arithmetic lives in Kernels/.
/// </summary>
public abstract class Operator
{
    public abstract OpCode Code { get; }

    public virtual string Name => Code.ToString();

    public abstract int MinInputs { get; }

    public abstract int MaxInputs { get; }

    public virtual int OutputCount => 1;

    public virtual OutputAliasing Aliasing => OutputAliasing.None;

    /// <summary>Attribute keys this op understands; any other key in a node is rejected.</summary>
    public abstract IReadOnlyList<AttributeKey> Attributes { get; }

    /// <summary>Validates the node and states output types and shapes. Throws OpValidationException.</summary>
    public abstract void Infer(InferContext ctx);

    /// <summary>Bytes of scratch memory the kernel needs while it runs (placed in the arena for this node only).</summary>
    public virtual long ScratchBytes(NodeDesc node, TensorDesc?[] inputs, TensorDesc[] outputs) => 0;

    /// <summary>Builds the kernel. Not called for View operators.</summary>
    public abstract Kernel CreateKernel(PlanContext ctx);
}
