using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace SpecializedConv.Runtime;

/// <summary>
/// Makes a new layer's first <see cref="IConvLayer.Forward"/> run at the speed of any later call under the JIT.
/// Called by the constructors of generated layers, <see cref="ConvLayer"/> and <see cref="SeparableConvLayer"/>;
/// not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerWarmUp
{
    /// <summary>Where the last warm-up run puts the output past the input modulo 4 KiB: within every kernel's window.</summary>
    private const int JustPastBytes = 64;

    /// <summary>
    /// Where the other runs put it, for a layer that chooses by the output's place: 512 bytes before the input modulo
    /// 4 KiB, outside every window (a new array could land just past the input, and the plain kernels would then be
    /// left for the caller's first call).
    /// </summary>
    private const int ApartBytes = 4096 - 512;

    /// <summary>
    /// Runs <paramref name="layer"/> on one image of zeros, through the interface, from a 64-byte line boundary, 8 bytes
    /// past one and 4 bytes past one (and, for a layer that also chooses by its output's place, 8 bytes past one into an
    /// output just past the input modulo 4 KiB); nothing under NativeAOT.
    /// </summary>
    /// <remarks>
    /// Two costs would otherwise land in the caller's first calls. The JIT compiles the kernels of the path chosen for
    /// this process (the first run here). And the runtime builds the dispatch stubs of an (interface, class) pair in
    /// executable memory on the second interface call to it, not the first: that call took 25 to 60 microseconds more
    /// than steady state, ten times a small layer's whole run (seed1_pad2_s2: first call 26-41 us, steady 3 us; 5-6 us
    /// with both runs here). Later call sites find the pair's stubs built. The calls go through
    /// <see cref="IConvLayer"/> from a method the JIT does not inline into the constructor, where it would see the
    /// exact class and call it directly. Some kernels choose their row methods by where the input lies against the cache
    /// lines (<see cref="CacheLine"/>): on a line boundary, an even number of floats past one (where a float[] lies) or
    /// an odd number (a span sliced there); one run at each compiles all three, whichever the caller has.
    /// </remarks>
    /// <param name="layer">The layer, fully constructed but for this call.</param>
    /// <param name="choosesByOutput">
    /// The layer has kernels it runs only where its output starts just past its input modulo 4 KiB
    /// (<see cref="StoreAliasing.OutputJustPast"/>): one more run, with the output there, compiles them.
    /// </param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run(IConvLayer layer, bool choosesByOutput = false)
    {
        if (RuntimeFeature.IsDynamicCodeCompiled)
        {
            Span<float> input = TensorBuffer.Allocate(layer.InputLength + 2).Span;
            Span<float> output = choosesByOutput ? TensorBuffer.AllocateApartFrom(input, layer.OutputLength, ApartBytes) : new float[layer.OutputLength];
            layer.Forward(input[..layer.InputLength], output);
            layer.Forward(input[2..], output);
            layer.Forward(input.Slice(1, layer.InputLength), output);
            if (choosesByOutput)
            {
                layer.Forward(input[2..], TensorBuffer.AllocateApartFrom(input[2..], layer.OutputLength, JustPastBytes));
            }
        }
    }
}
