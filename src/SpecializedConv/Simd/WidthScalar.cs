using System;
using System.Runtime.CompilerServices;

namespace SpecializedConv.Simd;

/// <summary>
/// The scalar path, for machines (or <c>DOTNET_EnableHWIntrinsic=0</c>) without SIMD acceleration: the same kernels
/// with one float per "register". It plans for 16 registers (the SSE2 baseline of x64).
/// </summary>
internal readonly unsafe struct WidthScalar : IVectorWidth<float>
{
    public static int Lanes => 1;

    public static int Registers => 16;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadFirst(float* source, int count) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, float value) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(float* destination, float value, int count) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    // MathF.FusedMultiplyAdd is a slow software routine without FMA hardware: fuse only where it is an instruction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => System.Runtime.Intrinsics.X86.Fma.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Divide(float a, float b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b) => a > b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float a, float b) => a < b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => MathF.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Abs(float x) => MathF.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float CopySign(float magnitude, float sign) => MathF.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Permute(float value, float indices) => value;
}
