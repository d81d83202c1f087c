using System;
using Xunit;

namespace SpecializedConv.Tests;

public unsafe class TensorBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3 * 17)]
    [InlineData(100_000)]
    public void Buffers_start_on_a_64_byte_line_and_are_zeroed(int length)
    {
        for (int i = 0; i < 20; i++)
        {
            Memory<float> buffer = TensorBuffer.Allocate(length);
            Assert.Equal(length, buffer.Length);
            fixed (float* first = buffer.Span)
            {
                Assert.True(length == 0 || (nuint)first % 64 == 0, $"{length} floats at {(nuint)first % 64} bytes past a line");
            }

            Assert.True(buffer.Span.IndexOfAnyExcept(0f) < 0);
        }
    }

    [Fact]
    public void A_negative_length_is_rejected() => Assert.Throws<ArgumentOutOfRangeException>(() => TensorBuffer.Allocate(-1));

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue - 15)] // wrapped past int with the line's worth of floats added
    [InlineData(0x7FFFFFC7 - 15)] // Array.MaxLength - 15: one float more than fits
    public void A_length_past_the_largest_array_is_rejected_by_name(int length)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TensorBuffer.Allocate(length));
        Assert.Equal("length", e.ParamName);
    }
}
