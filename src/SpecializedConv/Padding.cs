// Linked into the generator as well, where it is internal: the attribute's enum values are read there as integers.
namespace SpecializedConv;

/// <summary>How a convolution pads its input, as in TensorFlow/Keras.</summary>
#if SPECIALIZEDCONV_GENERATOR
internal
#else
public
#endif
enum Padding
{
    /// <summary>No padding: the kernel window stays inside the input.</summary>
    Valid = 0,

    /// <summary>
    /// TensorFlow's SAME (ONNX <c>SAME_UPPER</c>): the output has <c>ceil(input / stride)</c> pixels per axis,
    /// and when the total padding is odd the extra zero goes to the bottom or right.
    /// </summary>
    Same = 1,

    /// <summary>Zero padding given per side by <c>PadTop</c>, <c>PadBottom</c>, <c>PadLeft</c> and <c>PadRight</c>.</summary>
    Explicit = 2,
}
