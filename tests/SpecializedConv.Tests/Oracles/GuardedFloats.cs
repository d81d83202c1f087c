using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpecializedConv.Tests.Oracles;

/// <summary>
/// Floats between two inaccessible pages, against the first or the last, for tests that a kernel touches nothing outside
/// the caller's spans (Linux: mmap and mprotect). (The tests compile no unsafe code, as a user's project does: the span
/// is made from a reference at the mapping's address rather than from a pointer.)
/// </summary>
public sealed class GuardedFloats : IDisposable
{
    private const int Page = 4096, ProtNone = 0, ProtReadWrite = 3, MapPrivateAnonymous = 0x22;
    private readonly nint _mapping, _start;
    private readonly nuint _bytes;
    private readonly int _length;

    /// <summary>Maps <paramref name="length"/> floats, their first just after a guard page or their last just before one.</summary>
    public GuardedFloats(int length, bool atEnd)
    {
        _length = length;
        nuint dataPages = (nuint)((((long)length * sizeof(float)) + Page - 1) / Page);
        _bytes = (dataPages + 2) * Page;
        _mapping = Mmap(0, _bytes, ProtReadWrite, MapPrivateAnonymous, -1, 0);
        if (_mapping == -1 || Mprotect(_mapping, Page, ProtNone) != 0 || Mprotect(_mapping + (nint)((dataPages + 1) * Page), Page, ProtNone) != 0)
        {
            throw new InvalidOperationException($"mmap or mprotect failed: errno {Marshal.GetLastPInvokeError()}");
        }

        nint data = _mapping + Page;
        _start = atEnd ? data + (nint)(dataPages * Page) - ((nint)length * sizeof(float)) : data;
    }

    /// <summary>The floats: any access past either end faults.</summary>
    public Span<float> Span => MemoryMarshal.CreateSpan(ref Unsafe.AddByteOffset(ref Unsafe.NullRef<float>(), _start), _length);

    public void Dispose() => _ = Munmap(_mapping, _bytes);

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int descriptor, nint offset);

    [DllImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static extern int Mprotect(nint address, nuint length, int protection);

    [DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static extern int Munmap(nint address, nuint length);
}
