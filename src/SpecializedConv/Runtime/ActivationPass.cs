using System.ComponentModel;
using SpecializedConv.Simd;

namespace SpecializedConv.Runtime;

/// <summary>
/// Applies an activation in place over floats just stored. Kernels fuse the clamps (ReLU, ReLU6, LeakyReLU) and
/// HardSwish into their stores; the exp-based ones run here, on the tile just written (still in L1), because a call
/// to exp inside a micro-kernel would push its accumulators to memory. Called by generated layers; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class ActivationPass
{
    /// <summary>Applies <paramref name="activation"/> to <paramref name="count"/> floats from <paramref name="values"/>.</summary>
    /// <param name="values">The first float.</param>
    /// <param name="count">Floats to transform.</param>
    /// <param name="activation">The activation.</param>
    /// <param name="alpha">The LeakyReLU slope.</param>
    public static void Apply(ref float values, int count, Activation activation, float alpha)
    {
        fixed (float* pointer = &values)
        {
            ActivationOps.Apply(pointer, count, activation, alpha);
        }
    }
}
