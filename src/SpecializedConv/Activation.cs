// Linked into the generator as well, where it is internal: the attribute's enum values are read there as integers.
namespace SpecializedConv;

/// <summary>The activation fused into a convolution's store, applied after the bias.</summary>
#if SPECIALIZEDCONV_GENERATOR
internal
#else
public
#endif
enum Activation
{
    /// <summary>The identity.</summary>
    None = 0,

    /// <summary><c>max(x, 0)</c>.</summary>
    Relu = 1,

    /// <summary><c>min(max(x, 0), 6)</c>.</summary>
    Relu6 = 2,

    /// <summary><c>x &lt; 0 ? alpha * x : x</c>, with alpha from <c>ActivationAlpha</c>.</summary>
    LeakyRelu = 3,

    /// <summary><c>1 / (1 + exp(-x))</c>.</summary>
    Sigmoid = 4,

    /// <summary>The hyperbolic tangent.</summary>
    Tanh = 5,

    /// <summary><c>x * sigmoid(x)</c> (also called swish).</summary>
    Silu = 6,

    /// <summary><c>x * min(max(x + 3, 0), 6) / 6</c>.</summary>
    HardSwish = 7,
}
