using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    /// Runs <paramref name="layer"/> on one image of zeros, through the interface, from a 64-byte line boundary, 8 bytes
    /// past one and 4 bytes past one, then 8 bytes past one into an output just past the input modulo 4 KiB; nothing
    /// under NativeAOT.
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
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run(IConvLayer layer)
    {
        if (RuntimeFeature.IsDynamicCodeCompiled)
        {
            Span<float> input = TensorBuffer.Allocate(layer.InputLength + 2).Span;
            float[] output = new float[layer.OutputLength];
            layer.Forward(input[..layer.InputLength], output);
            layer.Forward(input[2..], output);
            layer.Forward(input.Slice(1, layer.InputLength), output);

            // And some by where the output lies against the input modulo 4 KiB (StoreAliasing): one more run with the
            // output just past the input (the pinned buffers keep their distance).
            ReadOnlySpan<float> shifted = input[2..];
            Span<float> area = TensorBuffer.Allocate(layer.OutputLength + (4096 / sizeof(float))).Span;
            long apart = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(shifted), ref MemoryMarshal.GetReference(area));
            int skip = (int)(((JustPastBytes - apart) % 4096) + 4096) % 4096 / sizeof(float);
            layer.Forward(shifted, area.Slice(skip, layer.OutputLength));
        }
    }
}
